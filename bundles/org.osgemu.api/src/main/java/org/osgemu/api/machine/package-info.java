@Export
@Version("0.3.0")
package org.osgemu.api.machine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
