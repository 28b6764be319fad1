/**
 * One command set for every front end: commands, their argument and result types, enums and
 * events are described once in a QAPI-like JSON schema; bundles contribute commands as
 * {@link org.osgemu.api.command.CommandProvider} services, and the {@link
 * org.osgemu.api.command.CommandRegistry} checks arguments against the schema before it runs a
 * command. QMP and the Gogo shell are front ends over the registry.
 */
@Export
@Version("0.1.0")
package org.osgemu.api.command;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
