/**
 * Virtio 1.x for device bundles: split virtqueues ({@link org.osgemu.virtio.api.VirtQueue}),
 * the virtio-mmio transport ({@link org.osgemu.virtio.api.VirtioMmioDevice}) and the seam a
 * device model implements ({@link org.osgemu.virtio.api.VirtioDeviceModel}).
 */
@Export
@Version("0.2.0")
package org.osgemu.virtio.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
