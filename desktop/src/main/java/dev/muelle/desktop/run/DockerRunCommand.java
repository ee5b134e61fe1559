package dev.muelle.desktop.run;

import dev.muelle.desktop.engine.ContainerSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a {@link ContainerSpec} as the {@code docker run} command that does the same. */
public final class DockerRunCommand {

    private DockerRunCommand() {
    }

    public static String of(ContainerSpec spec) {
        List<String> words = new ArrayList<>(List.of("docker", "run", "-d"));
        if (spec.interactive() && spec.tty()) {
            words.add("-it");
        } else if (spec.interactive()) {
            words.add("-i");
        } else if (spec.tty()) {
            words.add("-t");
        }
        if (spec.name() != null) {
            words.add("--name");
            words.add(spec.name());
        }
        for (ContainerSpec.PortMapping p : spec.ports()) {
            words.add("-p");
            String container = p.containerPort() + ("tcp".equals(p.protocol()) ? "" : "/" + p.protocol());
            words.add(p.hostPort() == 0 ? container : p.hostPort() + ":" + container);
        }
        for (ContainerSpec.Mount m : spec.mounts()) {
            words.add("-v");
            words.add(m.source() + ":" + m.target() + (m.readOnly() ? ":ro" : ""));
        }
        for (String e : spec.environment()) {
            words.add("-e");
            words.add(e);
        }
        if (spec.memoryBytes() > 0) {
            words.add("-m");
            words.add(MemorySize.format(spec.memoryBytes()));
        }
        if (spec.nanoCpus() > 0) {
            words.add("--cpus");
            words.add(String.format(Locale.ROOT, "%s", trim(spec.nanoCpus() / 1e9)));
        }
        if (!"no".equals(spec.restartPolicy())) {
            words.add("--restart");
            words.add(spec.restartPolicy());
        }
        if (spec.network() != null) {
            words.add("--network");
            words.add(spec.network());
        }
        words.add(spec.image());
        words.addAll(spec.command());
        StringBuilder line = new StringBuilder();
        for (String w : words) {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(CommandWords.quote(w));
        }
        return line.toString();
    }

    private static String trim(double d) {
        String s = String.format(Locale.ROOT, "%.3f", d);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
