@Export
@Version("0.1.0")
package org.osgemu.api.block;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
