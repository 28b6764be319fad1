/**
 * Migration: the service that saves a machine to a stream and loads it back (snapshots to a file,
 * live migration over sockets), and the handlers that put each part of a machine's state into the
 * stream. The stream format is described in {@code docs/migration-stream.md}.
 */
@Export
@Version("0.1.0")
package org.osgemu.api.migration;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
