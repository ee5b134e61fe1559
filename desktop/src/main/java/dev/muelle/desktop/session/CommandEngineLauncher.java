package dev.muelle.desktop.session;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Starts the engine with a shell command ({@code ./muelle up --engine-only} by default, or what the
 * user set in Settings). The command gets {@code MUELLE_HOST} set to the endpoint the desktop waits
 * on; it runs in its own session ({@code setsid}) so the engine outlives the desktop, and its
 * output goes to a log file the unreachable page can point to.
 */
public final class CommandEngineLauncher implements EngineLauncher {

    private final Supplier<String> command;
    private final Path log;

    public CommandEngineLauncher(Supplier<String> command, Path log) {
        this.command = command;
        this.log = log;
    }

    @Override
    public void launch(String endpoint) throws IOException {
        String cmd = command.get();
        if (cmd == null || cmd.isBlank()) {
            throw new IOException("No engine command is set. Set one in Settings (for example "
                    + "/path/to/muelle up --engine-only) or start the engine yourself.");
        }
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder("setsid", "/bin/sh", "-c", cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("MUELLE_HOST", endpoint);
        builder.start();
    }

    public Path log() {
        return log;
    }
}
