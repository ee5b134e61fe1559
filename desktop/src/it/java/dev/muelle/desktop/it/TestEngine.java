package dev.muelle.desktop.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Muelle engine for the desktop's UI tests, started the way ./muelle starts one
 * ({@code engine-core/bin/muelled} from engine-core's build, on a scratch directory) but through a
 * shell command, so the desktop's Start engine button can run the very same command.
 *
 * <p>The desktop module does not depend on engine-core: it runs the engine's build as a process
 * (the reactor builds engine-core first) and talks to it with the stock docker CLI. {@link #close} removes containers, ends every process that names the scratch
 * directory, unmounts what is mounted below it and deletes it, even after a failure.
 */
public final class TestEngine implements AutoCloseable {

    private final Path scratch;
    private final Path socket;
    private final Path pidFile;
    private final Path log;

    private TestEngine(Path scratch) {
        this.scratch = scratch;
        this.socket = scratch.resolve("e.sock");
        this.pidFile = scratch.resolve("engine.pid");
        this.log = scratch.resolve("engine.log");
    }

    /** A fresh engine on a new scratch directory, answering, with busybox:latest loaded. */
    public static TestEngine start() {
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "mdk-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        TestEngine engine = new TestEngine(dir);
        try {
            engine.launch();
            engine.docker(Duration.ofMinutes(2), "load", "-i", busyboxTar().toString()).assertOk();
            return engine;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    public String dockerHost() {
        return "unix://" + socket;
    }

    public Path scratch() {
        return scratch;
    }

    /**
     * The shell command that starts this engine in the background and records its pid; the
     * desktop's Start engine action is configured with it in the tests.
     */
    public String startCommand() {
        // engine-core/bin/muelled: the engine's build with the JVM options ./muelle uses.
        Path muelled = repo().resolve("engine-core/bin/muelled");
        return "echo $$ > '" + pidFile + "'; exec '" + muelled + "'"
                + " --host '" + dockerHost() + "' --data-root '" + scratch.resolve("data") + "' --exec-root '"
                + scratch.resolve("exec") + "' >> '" + log + "' 2>&1 < /dev/null";
    }

    /** Start the engine (again, on the same data) and wait until it answers. */
    public void launch() {
        try {
            Files.deleteIfExists(socket);
            new ProcessBuilder("setsid", "/bin/sh", "-c", startCommand())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the engine", e);
        }
        awaitAnswer(Duration.ofSeconds(90));
    }

    public void awaitAnswer(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(socket) && docker(Duration.ofSeconds(10), "version", "--format", "{{.Server.Version}}").ok()) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("the engine did not answer within " + timeout.toSeconds() + " s; log:\n" + logTail());
    }

    /** SIGTERM the engine and wait until it has exited (containers keep running under conmon). */
    public void stop() {
        pid().ifPresent(pid -> ProcessHandle.of(pid).ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(45, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }));
    }

    private java.util.Optional<Long> pid() {
        try {
            return java.util.Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** The outcome of one docker CLI call. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        public Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("docker failed (" + exitCode + "): " + stderr + stdout);
            }
            return this;
        }
    }

    /** Run the stock docker CLI against this engine. */
    public Result docker(String... args) {
        return docker(Duration.ofSeconds(60), args);
    }

    public Result docker(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("DOCKER_HOST", dockerHost());
            pb.environment().remove("DOCKER_CONTEXT");
            Path out = Files.createTempFile(scratch, "out", ".txt");
            Path err = Files.createTempFile(scratch, "err", ".txt");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("docker " + String.join(" ", args) + " timed out");
            }
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** busybox:latest as a docker-archive, built by the repository's fixture script. */
    static Path busyboxTar() {
        Path repo = repo();
        Path tar = repo.resolve("desktop/target/fixtures/busybox.tar");
        if (Files.exists(tar)) {
            return tar;
        }
        try {
            Process p = new ProcessBuilder(repo.resolve("fixtures/busybox/build-image").toString(), tar.toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("fixtures/busybox/build-image failed:\n" + output);
            }
            return tar;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Path repo() {
        String configured = System.getProperty("muelle.repo");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("fixtures/busybox/build-image"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root; set -Dmuelle.repo");
    }

    @Override
    public void close() {
        try {
            if (Files.exists(socket)) {
                Result ids = docker(Duration.ofSeconds(30), "ps", "-aq");
                if (ids.ok() && !ids.stdout().isBlank()) {
                    List<String> args = new ArrayList<>(List.of("rm", "-f"));
                    args.addAll(List.of(ids.stdout().trim().split("\\s+")));
                    docker(Duration.ofSeconds(60), args.toArray(String[]::new));
                }
            }
        } catch (RuntimeException | AssertionError e) {
            // What is left is killed below.
        }
        stop();
        killProcessesNamingScratch();
        unmountBelowScratch();
        deleteScratch();
    }

    /** conmon, runc and container inits carry the scratch path in their argv or state. */
    private void killProcessesNamingScratch() {
        String needle = scratch + "/";
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> victims = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if (pid == self) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if ((cmdline + "/").contains(needle)) {
                        ProcessHandle.of(pid).ifPresent(victims::add);
                    }
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            return;
        }
        victims.forEach(v -> v.descendants().forEach(ProcessHandle::destroyForcibly));
        victims.forEach(ProcessHandle::destroyForcibly);
        victims.forEach(v -> {
            try {
                v.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // not our child: cannot reap, holds no mounts
            }
        });
    }

    private void unmountBelowScratch() {
        for (int round = 0; round < 3; round++) {
            List<String> mounts = new ArrayList<>();
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                    String point = line.split(" ")[4];
                    if (point.startsWith(scratch + "/")) {
                        mounts.add(point);
                    }
                }
            } catch (IOException e) {
                return;
            }
            if (mounts.isEmpty()) {
                return;
            }
            mounts.sort(Comparator.comparingInt(String::length).reversed());
            for (String m : mounts) {
                try {
                    new ProcessBuilder("umount", "-l", m).start().waitFor(10, TimeUnit.SECONDS);
                } catch (IOException | InterruptedException e) {
                    // next round
                }
            }
        }
    }

    private void deleteScratch() {
        try (Stream<Path> walk = Files.walk(scratch)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left behind under /tmp
                }
            });
        } catch (IOException e) {
            // nothing to delete
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
