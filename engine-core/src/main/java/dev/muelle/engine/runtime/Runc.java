package dev.muelle.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.system.HostProcesses;
import dev.muelle.engine.system.IdlePools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The runc command line for everything conmon does not do: start, state, kill, pause, resume,
 * delete, ps. Always passes {@code --root} (our own state directory, never the host's default) and
 * {@code --log-format=json}, so errors come back as JSON lines we can reduce to runc's message text.
 */
final class Runc {

    /**
     * Drains runc's stderr while stdout is read: a large error (a Go panic's goroutine dump) must
     * not fill the pipe and block runc. Blocking reads do not belong on the common fork-join pool.
     */
    private static final ExecutorService STDERR_READERS = IdlePools.unbounded("runc-stderr");

    /** What one runc invocation printed; {@code error} is runc's message text, "" on success. */
    record Result(int exitCode, byte[] stdout, String error) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private final Path binary;
    private final Path root;

    Runc(Path binary, Path root) {
        this.binary = binary;
        this.root = root;
    }

    Path binary() {
        return binary;
    }

    /** The global options conmon must pass through ({@code --runtime-arg}) to every runc it starts. */
    List<String> globalArgs() {
        return List.of("--root=" + root, "--log-format=json");
    }

    Result run(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(globalArgs());
        command.addAll(List.of(args));
        HostProcesses.acquire();
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            CompletableFuture<byte[]> stderr = readAsync(process.getErrorStream());
            byte[] stdout = process.getInputStream().readAllBytes();
            try {
                int exit = process.waitFor();
                return new Result(exit, stdout, errorText(new String(stderr.join(), StandardCharsets.UTF_8)));
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running runc " + String.join(" ", args), e);
            }
        } finally {
            HostProcesses.release();
        }
    }

    private static CompletableFuture<byte[]> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        }, STDERR_READERS);
    }

    /**
     * Reduces runc's log output to its error messages: JSON lines with level error keep their
     * {@code msg}; anything that is not JSON (a Go panic, a message from a library) is kept as is.
     */
    static String errorText(String output) {
        List<String> messages = new ArrayList<>();
        for (String line : output.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.startsWith("{")) {
                try {
                    JsonNode node = Json.parse(trimmed);
                    String level = node.path("level").asText();
                    if (level.equals("error") || level.equals("fatal")) {
                        messages.add(node.path("msg").asText());
                    }
                    continue;
                } catch (IOException notJson) {
                    // fall through: keep the raw line
                }
            }
            messages.add(trimmed);
        }
        return String.join("; ", messages);
    }
}
