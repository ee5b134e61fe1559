package dev.muelle.engine.volume;

import dev.muelle.engine.errors.EngineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local driver's mounted volumes: {@code type}/{@code device}/{@code o} as {@code mount(8)}
 * takes them (e.g. {@code type=tmpfs device=tmpfs o=size=100m}, {@code type=none o=bind
 * device=/srv/data}), mounted on the volume's {@code _data}, as dockerd's local driver does.
 */
final class VolumeMounts {

    private VolumeMounts() {
    }

    static void mount(Map<String, String> opts, Path target) {
        if (isMountPoint(target)) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("mount", "-t", opts.getOrDefault("type", "none")));
        String o = opts.get("o");
        if (o != null && !o.isEmpty()) {
            cmd.addAll(List.of("-o", o));
        }
        cmd.add(opts.getOrDefault("device", opts.getOrDefault("type", "none")));
        cmd.add(target.toString());
        run(cmd, "error while mounting volume '" + target + "'");
    }

    static void unmountIfMounted(Path target) {
        if (isMountPoint(target)) {
            run(List.of("umount", "-l", target.toString()), "error while unmounting volume '" + target + "'");
        }
    }

    private static boolean isMountPoint(Path target) {
        try {
            String want = " " + target.toAbsolutePath() + " ";
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .anyMatch(l -> l.split(" ").length > 4 && (" " + l.split(" ")[4] + " ").equals(want));
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(List<String> cmd, String what) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new EngineException.SystemError(what + ": " + out);
            }
        } catch (IOException e) {
            throw new EngineException.SystemError(what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.SystemError(what + ": interrupted");
        }
    }
}
