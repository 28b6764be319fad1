package org.osgemu.api.command;

import java.net.URL;
import java.util.Map;

/**
 * Whiteboard service of a bundle that contributes commands (and events, types, enums) to the
 * one command set. {@link #schema()} describes them in the QAPI-like JSON format of
 * {@code docs/qmp-commands.md}; {@link #handlers()} implements every command that schema
 * defines, no more and no fewer, or the registry refuses the provider (and says why in its log).
 * A schema may use types another provider defines; the provider is then accepted once that
 * other provider is there.
 */
public interface CommandProvider {

    /** The schema document: a JSON array of definitions, usually a resource of the bundle. */
    URL schema();

    /** The implementation of each command of {@link #schema()}, by command name. */
    Map<String, CommandHandler> handlers();
}
