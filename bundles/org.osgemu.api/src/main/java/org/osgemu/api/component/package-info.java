/**
 * Helpers over the Service Component Runtime's view of components, for front-ends that create
 * configurations and must say why one did not come up.
 */
@Export
@Version("0.1.0")
package org.osgemu.api.component;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
