package org.osgemu.shell.commands;

import java.util.ArrayList;
import java.util.List;

import org.osgemu.api.command.CommandContext;

/**
 * A command called from the shell: it addresses the first machine, and what QMP would do after
 * its response runs as soon as the command has returned.
 */
final class ShellCommandContext implements CommandContext {

    private final List<Runnable> afterResponse = new ArrayList<>();

    @Override
    public String machine() {
        return "";
    }

    @Override
    public String frontEnd() {
        return SHELL;
    }

    @Override
    public void afterResponse(Runnable action) {
        afterResponse.add(action);
    }

    /** Runs what the command left for after its answer. */
    void finish() {
        afterResponse.forEach(Runnable::run);
    }
}
