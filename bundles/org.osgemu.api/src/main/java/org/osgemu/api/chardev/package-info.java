@Export
@Version("0.2.0")
package org.osgemu.api.chardev;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
