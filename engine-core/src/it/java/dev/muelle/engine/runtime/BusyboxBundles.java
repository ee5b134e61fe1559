package dev.muelle.engine.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Test fixture: a busybox root filesystem (static busybox plus its applet links, /etc/passwd and
 * /etc/group) shared read-only by OCI bundles whose config.json comes from {@code runc spec}, under
 * one short temporary directory so socket paths stay short.
 */
final class BusyboxBundles implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path base;
    private final Path rootfs;
    private final ObjectNode template;

    BusyboxBundles() throws IOException, InterruptedException {
        base = Files.createTempDirectory(Path.of("/tmp"), "m");
        rootfs = base.resolve("rootfs");
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        for (String applet : run(List.of("/bin/busybox", "--list"), base).split("\n")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                Files.createSymbolicLink(bin.resolve(applet.strip()), Path.of("busybox"));
            }
        }
        Path etc = Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\n");
        Path specDir = Files.createDirectories(base.resolve("spec"));
        run(List.of("/usr/sbin/runc", "spec"), specDir);
        template = (ObjectNode) JSON.readTree(specDir.resolve("config.json").toFile());
        ObjectNode process = (ObjectNode) template.get("process");
        // Root here lacks CAP_SYS_RESOURCE: runc cannot raise RLIMIT_NOFILE above our own hard limit.
        process.remove("rlimits");
        ((ObjectNode) template.get("root")).put("path", rootfs.toString());
    }

    /** A bundle directory for container {@code id} running {@code args}. */
    Path bundle(String id, boolean terminal, String... args) throws IOException {
        Path dir = Files.createDirectories(base.resolve("b").resolve(id));
        ObjectNode config = template.deepCopy();
        ObjectNode process = (ObjectNode) config.get("process");
        process.put("terminal", terminal);
        ArrayNode argv = process.putArray("args");
        for (String arg : args) {
            argv.add(arg);
        }
        config.put("hostname", id);
        JSON.writeValue(dir.resolve("config.json").toFile(), config);
        return dir;
    }

    /** Sets {@code linux.resources.memory.limit} in an existing bundle. */
    static void limitMemory(Path bundle, long bytes) throws IOException {
        Path configFile = bundle.resolve("config.json");
        ObjectNode config = (ObjectNode) JSON.readTree(configFile.toFile());
        config.with("linux").with("resources").with("memory").put("limit", bytes);
        JSON.writeValue(configFile.toFile(), config);
    }

    static String run(List<String> command, Path cwd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(command + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> paths = Files.walk(base)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
