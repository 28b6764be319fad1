package org.osgemu.api.memory;

import java.util.List;

/**
 * The address space as a sorted list of non-overlapping {@link FlatRange}s, the result of
 * rendering the region tree (priorities and aliases resolved). Immutable: the address space
 * replaces it with a new one when the tree changes.
 */
public interface FlatView {

    /** The ranges in ascending address order. */
    List<FlatRange> ranges();

    /** The range covering {@code address}, or {@code null} when the address is unassigned. */
    FlatRange lookup(long address);
}
