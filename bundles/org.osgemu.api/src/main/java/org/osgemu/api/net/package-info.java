@Export
@Version("0.1.0")
package org.osgemu.api.net;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
