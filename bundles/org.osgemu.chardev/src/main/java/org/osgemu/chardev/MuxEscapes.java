package org.osgemu.chardev;

/**
 * The escape keys of a multiplexed terminal, QEMU's: Ctrl-A (0x01) and then one key. Feeds on
 * one input byte at a time and says what it means, so an escape split across two reads works.
 * A key after Ctrl-A that means nothing is dropped, as QEMU drops it.
 */
final class MuxEscapes {

    /** The escape character, Ctrl-A. */
    static final int ESCAPE = 0x01;

    /** What one input byte asks for. */
    enum Action {
        /** An ordinary byte: it goes to the front end with focus. */
        INPUT,
        /** Swallowed: the escape itself, or an unknown key after it. */
        NONE,
        /** Ctrl-A Ctrl-A or Ctrl-A a: a literal Ctrl-A goes to the front end with focus. */
        LITERAL_ESCAPE,
        /** Ctrl-A h or ?: print the list of escapes. */
        HELP,
        /** Ctrl-A x: end the emulator. */
        EXIT,
        /** Ctrl-A c: give the terminal to the next front end. */
        SWITCH,
        /** Ctrl-A s: write the drives' data to their files. */
        SYNC_DRIVES,
        /** Ctrl-A b: send a break to the front end with focus. */
        BREAK,
        /** Ctrl-A t: turn timestamps on output on or off. */
        TIMESTAMPS
    }

    /** The help Ctrl-A h prints, CR LF ended because the terminal is raw. */
    static final String HELP_TEXT = """
            \r
            C-a h    print this help\r
            C-a x    exit the emulator\r
            C-a s    flush every drive to its file\r
            C-a t    toggle timestamps on console output\r
            C-a b    send a break to the console\r
            C-a c    switch between the console and the monitor\r
            C-a C-a  send C-a (C-a a as well)\r
            """;

    private boolean escaped;

    /** What {@code b}, the next input byte, asks for. */
    Action accept(byte b) {
        int key = b & 0xff;
        if (!escaped) {
            if (key == ESCAPE) {
                escaped = true;
                return Action.NONE;
            }
            return Action.INPUT;
        }
        escaped = false;
        return switch (key) {
            case ESCAPE, 'a' -> Action.LITERAL_ESCAPE;
            case 'h', '?' -> Action.HELP;
            case 'x' -> Action.EXIT;
            case 'c' -> Action.SWITCH;
            case 's' -> Action.SYNC_DRIVES;
            case 'b' -> Action.BREAK;
            case 't' -> Action.TIMESTAMPS;
            default -> Action.NONE;
        };
    }

    /** Whether a Ctrl-A arrived and waits for its key. */
    boolean isEscaped() {
        return escaped;
    }
}
