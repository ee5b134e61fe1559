package dev.muelle.engine.network;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.system.HostProcesses;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A host tool the network code runs (unshare, umount, netavark): argv, optional stdin, and the
 * output it must produce. A non-zero exit becomes a {@link EngineException.SystemError} naming
 * the command and what it printed.
 */
record HostCommand(List<String> argv, Map<String, String> env) {

    HostCommand(String... argv) {
        this(List.of(argv), Map.of());
    }

    /** What a finished command printed: stdout and stderr apart, since netavark answers in JSON on stdout. */
    record Output(int exitCode, String stdout, String stderr) {
    }

    Output run(String stdin) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        HostProcesses.acquire();
        try {
            Process p = pb.start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = readAll(p.getInputStream());
            int code = p.waitFor();
            return new Output(code, out, err.join());
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.SystemError("interrupted while running " + argv.get(0), e);
        } finally {
            HostProcesses.release();
        }
    }

    /** Runs and insists on exit status 0. */
    String check(String stdin) {
        Output o = run(stdin);
        if (o.exitCode() != 0) {
            throw new EngineException.SystemError(String.join(" ", argv) + " failed (exit " + o.exitCode() + "): "
                    + (o.stderr() + o.stdout()).trim());
        }
        return o.stdout();
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
