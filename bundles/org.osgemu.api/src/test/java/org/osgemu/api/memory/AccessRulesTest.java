package org.osgemu.api.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which guest accesses an MMIO region's rules let through. */
class AccessRulesTest {

    @Test
    void onlySizesInTheValidRangeAreAccepted() {
        AccessRules words = AccessRules.sizes(4, 4);

        assertTrue(words.accepts(0x10, 4));
        assertFalse(words.accepts(0x10, 1));
        assertFalse(words.accepts(0x10, 2));
        assertFalse(words.accepts(0x10, 8));
    }

    @Test
    void accessesMustBeAlignedToTheirSizeUnlessUnalignedIsAllowed() {
        AccessRules aligned = AccessRules.ANY;
        AccessRules unaligned = new AccessRules(1, 8, true, 1, 8);

        assertTrue(aligned.accepts(0x8, 8));
        assertFalse(aligned.accepts(0x4, 8));
        assertFalse(aligned.accepts(0x2, 4));
        assertTrue(aligned.accepts(0x2, 2));
        assertTrue(aligned.accepts(0x3, 1));
        assertTrue(unaligned.accepts(0x3, 4));
        assertTrue(unaligned.accepts(0x7, 8));
    }

    @Test
    void theTwoFactoriesSetValidAndImplementedSizes() {
        assertEquals(new AccessRules(1, 4, false, 1, 4), AccessRules.sizes(1, 4));
        assertEquals(new AccessRules(1, 8, false, 4, 4), AccessRules.sizes(1, 8, 4, 4));
        assertEquals(new AccessRules(1, 8, false, 1, 8), AccessRules.ANY);
    }

    @Test
    void aSizeThatIsNotOneTwoFourOrEightIsRefusedNamingTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AccessRules(1, 8, false, 3, 8));

        assertTrue(e.getMessage().contains("implMin") && e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void aMinimumAboveTheMaximumIsRefusedShowingTheGivenSizes() {
        IllegalArgumentException valid = assertThrows(IllegalArgumentException.class, () -> AccessRules.sizes(8, 4));
        IllegalArgumentException impl = assertThrows(IllegalArgumentException.class,
                () -> AccessRules.sizes(1, 8, 8, 2));

        assertTrue(valid.getMessage().contains("validMin=8") && valid.getMessage().contains("validMax=4"),
                valid.getMessage());
        assertTrue(impl.getMessage().contains("implMin=8") && impl.getMessage().contains("implMax=2"),
                impl.getMessage());
    }
}
