package org.osgemu.api.memory;

/** The consumers of RAM dirty tracking; each has its own per-page bitmap. */
public enum DirtyClient {
    /** Live migration: pages written since the last sync. */
    MIGRATION,
    /** Translated code: pages whose cached decodes or translations must be dropped. */
    CODE,
    /** Display: framebuffer pages to redraw. */
    DISPLAY
}
