package org.osgemu.api.irq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The level helpers every interrupt line gets. */
class IrqLineTest {

    private final List<Boolean> levels = new ArrayList<>();
    private final IrqLine line = levels::add;

    @Test
    void raiseAndLowerDriveTheLevel() {
        line.raise();
        line.lower();

        assertEquals(List.of(true, false), levels);
    }

    @Test
    void aPulseRaisesThenLowers() {
        line.pulse();

        assertEquals(List.of(true, false), levels);
    }
}
