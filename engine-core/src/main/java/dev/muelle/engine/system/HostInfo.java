package dev.muelle.engine.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the host that /info and /version report, read from /proc and /etc. */
public final class HostInfo {

    private HostInfo() {
    }

    public static String kernelVersion() {
        return read("/proc/sys/kernel/osrelease", System.getProperty("os.version"));
    }

    public static String hostname() {
        return read("/proc/sys/kernel/hostname", "localhost");
    }

    public static long memTotal() {
        for (String line : lines("/proc/meminfo")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        return 0;
    }

    public static String operatingSystem() {
        for (String line : lines("/etc/os-release")) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        }
        return "Linux";
    }

    public static String osVersion() {
        for (String line : lines("/etc/os-release")) {
            if (line.startsWith("VERSION_ID=")) {
                return line.substring("VERSION_ID=".length()).replace("\"", "");
            }
        }
        return "";
    }

    /** "2" on a pure cgroup v2 host, else "1" (legacy or hybrid: runc uses the v1 controllers). */
    public static String cgroupVersion() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1";
    }

    private static String read(String path, String dflt) {
        try {
            return ProcFiles.read(Path.of(path)).trim();
        } catch (IOException e) {
            return dflt;
        }
    }

    private static java.util.List<String> lines(String path) {
        try {
            return Files.readAllLines(Path.of(path));
        } catch (IOException e) {
            return java.util.List.of();
        }
    }
}
