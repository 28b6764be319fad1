package org.osgemu.virtio.net;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Ethernet MAC addresses as {@code -device ...,mac=} spells them ({@code 52:54:00:12:34:56}). */
final class MacAddress {

    static final int LENGTH = 6;
    private static final Pattern FORMAT = Pattern.compile("\\p{XDigit}{2}(:\\p{XDigit}{2}){5}");

    private MacAddress() {
    }

    /**
     * The six bytes of {@code text}; for a missing address, one in QEMU's locally administered
     * range 52:54:00 derived from {@code id}, so every NIC of a machine gets its own. A malformed
     * or multicast address is a configuration mistake, named with {@code where}.
     */
    static byte[] parse(String where, String text, String id) {
        if (text == null || text.isBlank()) {
            byte[] h = digest(id);
            return new byte[] {0x52, 0x54, 0x00, h[0], h[1], h[2]};
        }
        if (!FORMAT.matcher(text).matches()) {
            throw new IllegalArgumentException(where + ": mac='" + text + "' is not six hex bytes like 52:54:00:12:34:56");
        }
        byte[] mac = HexFormat.ofDelimiter(":").parseHex(text);
        if ((mac[0] & 1) != 0) {
            throw new IllegalArgumentException(where + ": mac='" + text + "' is a multicast address; a NIC needs a unicast one");
        }
        return mac;
    }

    static String format(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    private static byte[] digest(String id) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
