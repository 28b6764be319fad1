package org.osgemu.api.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** How {@link RegisterMap.Builder} checks a register layout before a device can use it. */
class RegisterMapBuilderTest {

    @Test
    void overlappingRegistersAreRefusedNamingBoth() {
        RegisterMap.Builder b = RegisterMap.builder("uart")
                .register("STATUS", 0x0, 4).add()
                .register("DATA", 0x2, 2).add();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);

        assertTrue(e.getMessage().contains("uart"), e.getMessage());
        assertTrue(e.getMessage().contains("STATUS"), e.getMessage());
        assertTrue(e.getMessage().contains("DATA"), e.getMessage());
    }

    @Test
    void overlapIsFoundWhateverTheDeclarationOrder() {
        RegisterMap.Builder b = RegisterMap.builder("dev")
                .register("HIGH", 0x10, 4).add()
                .register("ARRAY", 0x0, 4).array(5, 4).add(); // covers 0x0..0x13, into HIGH

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);

        assertTrue(e.getMessage().contains("ARRAY") && e.getMessage().contains("HIGH"), e.getMessage());
    }

    @Test
    void registersThatTouchButDoNotOverlapAreAccepted() {
        RegisterMap map = RegisterMap.builder("dev")
                .register("B", 0x4, 4).add()
                .register("A", 0x0, 4).add()
                .register("C", 0x8, 8).add()
                .build();

        assertEquals(List.of("A", "B", "C"), map.registers().stream().map(RegisterMap.Register::name).toList());
    }

    @Test
    void anArrayEndsAfterItsLastElementNotAfterItsLastStride() {
        // four 4-byte registers 0x10 apart end at 0x34, so a register at 0x34 fits
        RegisterMap map = RegisterMap.builder("dev")
                .register("PRIO", 0x0, 4).array(4, 0x10).add()
                .register("NEXT", 0x34, 4).add()
                .build();

        assertEquals(2, map.registers().size());
    }

    @Test
    void widthMustBeOneTwoFourOrEight() {
        RegisterMap.Builder b = RegisterMap.builder("rtc");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.register("TIME", 0, 3));

        assertTrue(e.getMessage().contains("rtc.TIME"), e.getMessage());
    }

    @Test
    void anArrayNeedsAtLeastOneElementAndAStrideAsWideAsTheRegister() {
        RegisterMap.Builder b = RegisterMap.builder("plic");

        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> b.register("PRIO", 0, 4).array(0, 4));
        IllegalArgumentException narrow = assertThrows(IllegalArgumentException.class,
                () -> b.register("PRIO", 0, 4).array(2, 2));

        assertTrue(zero.getMessage().contains("plic.PRIO"), zero.getMessage());
        assertTrue(narrow.getMessage().contains("plic.PRIO"), narrow.getMessage());
    }

    @Test
    void twoRegistersWithTheSameNameAreRefused() {
        // get/set/getAll find registers by name: a second one would never be saved or restored
        RegisterMap.Builder b = RegisterMap.builder("gpio")
                .register("IE", 0x0, 4).readWrite().add()
                .register("IE", 0x8, 4).readWrite().add();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);

        assertTrue(e.getMessage().contains("gpio") && e.getMessage().contains("IE"), e.getMessage());
    }

    @Test
    void registersReportTheirDeclaration() {
        RegisterMap map = RegisterMap.builder("dev")
                .register("CTRL", 0x20, 2).array(3, 8).reset(0x5).writeMask(0xF0).w1c(0x0F).add()
                .build();

        RegisterMap.Register reg = map.registers().get(0);

        assertEquals(new RegisterMap.Register("CTRL", 0x20, 2, 3, 8, 0x5, 0xF0, 0x0F, null, null), reg);
    }
}
