package org.osgemu.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The properties a device declares, read from its component class as DS would map them. */
class DeclaredPropertiesTest {

    /** A configuration as device bundles write one. */
    @interface DiskConfig {
        String id();

        String machine();

        String drive();

        String serial();
    }

    /** DS names: {@code num_queues} is {@code num.queues}, {@code $_$} a dash, {@code __} an underscore. */
    @interface TunedConfig {
        String PREFIX_ = "tuned.";

        int num_queues();

        String host$_$name();

        String raw__name();

        String dollar$$sign();
    }

    /** A component with constructor injection: a reference and the configuration. */
    static final class Disk {
        public Disk(DiskConfig config, Object drive) {
        }
    }

    /** A component configured through its activate and modified methods. */
    static class Tuned {
        void activate(TunedConfig config) {
        }

        void modified(Map<String, Object> properties) {
        }
    }

    /** A subclass inherits its activate method. */
    static final class TunedSub extends Tuned {
    }

    /** A component that reads its configuration as a map takes anything. */
    static final class Untyped {
        public Untyped(Map<String, Object> properties) {
        }
    }

    @Test
    void theConstructorsConfigurationTypeNamesTheProperties() {
        assertEquals(Optional.of(Set.of("id", "machine", "drive", "serial")),
                DeclaredProperties.of(Disk.class, 2, Arrays.asList(null, null)));
    }

    @Test
    void methodsAndTheirSuperclassesCountWithDsNameMappingAndPrefix() {
        Set<String> expected = Set.of("tuned.num.queues", "tuned.host-name", "tuned.raw_name", "tuned.dollar$sign");
        assertEquals(Optional.of(expected), DeclaredProperties.of(Tuned.class, 0, List.of("activate", "modified")));
        assertEquals(Optional.of(expected), DeclaredProperties.of(TunedSub.class, 0, Arrays.asList("activate", null)));
    }

    @Test
    void aComponentWithoutAConfigurationTypeDeclaresNothingToCheckAgainst() {
        assertEquals(Optional.empty(), DeclaredProperties.of(Untyped.class, 1, List.of()));
    }

    @Test
    void givenPropertiesAreCheckedAgainstTheDeclaredOnes() {
        Set<String> disk = Set.of("id", "machine", "drive", "serial");
        assertEquals(Optional.empty(), DeclaredProperties.firstUndeclared(Set.of("drive", "serial", "id", "bus"), disk));
        assertEquals(Optional.of("seriall"), DeclaredProperties.firstUndeclared(Set.of("drive", "seriall"), disk));
        // a console declares only the filter the launcher makes of chardev=
        Set<String> console = Set.of("id", "machine", "chardev.target");
        assertEquals(Optional.empty(), DeclaredProperties.firstUndeclared(Set.of("chardev"), console));
        assertEquals(Optional.of("drive"), DeclaredProperties.firstUndeclared(Set.of("drive"), console));
        assertEquals(Optional.of("foo"), DeclaredProperties.firstUndeclared(Set.of("foo"), Set.of("id", "machine")));
    }

    @Test
    void elementNamesMapAsDsSays() {
        assertEquals("netdev", DeclaredProperties.propertyName("netdev"));
        assertEquals("drive.target", DeclaredProperties.propertyName("drive_target"));
        assertEquals("a_b", DeclaredProperties.propertyName("a__b"));
        assertEquals("a-b", DeclaredProperties.propertyName("a$_$b"));
        assertEquals("ab", DeclaredProperties.propertyName("a$b"));
        assertEquals("a$b", DeclaredProperties.propertyName("a$$b"));
    }
}
