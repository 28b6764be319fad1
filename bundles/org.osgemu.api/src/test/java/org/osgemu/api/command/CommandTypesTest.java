package org.osgemu.api.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Error classes and command descriptions as QMP front ends report them. */
class CommandTypesTest {

    @Test
    void aCommandFailureIsGenericUnlessClassified() {
        assertEquals(ErrorClass.GENERIC_ERROR, new CommandException("bad value").errorClass());
        assertEquals(ErrorClass.DEVICE_NOT_FOUND,
                new CommandException(ErrorClass.DEVICE_NOT_FOUND, "Device 'x' not found").errorClass());
        assertThrows(NullPointerException.class, () -> new CommandException(null));
        assertThrows(NullPointerException.class, () -> new CommandException(null, "x"));
    }

    @Test
    void errorClassesUseQemusWireNames() {
        assertEquals(List.of("GenericError", "CommandNotFound", "DeviceNotActive", "DeviceNotFound", "KVMMissingCap"),
                java.util.Arrays.stream(ErrorClass.values()).map(ErrorClass::wireName).toList());
    }

    @Test
    void aDescriptionKeepsItsOwnArgumentList() {
        List<CommandInfo.Argument> args = new ArrayList<>();
        args.add(new CommandInfo.Argument("id", "str", "string", false, "the device"));
        CommandInfo info = new CommandInfo("device_del", "Removes a device.", args, "", false, false);
        args.clear();

        assertEquals(1, info.arguments().size());
        assertThrows(UnsupportedOperationException.class, () -> info.arguments().add(null));
    }
}
