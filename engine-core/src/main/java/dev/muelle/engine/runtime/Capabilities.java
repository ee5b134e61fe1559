package dev.muelle.engine.runtime;

import dev.muelle.engine.errors.EngineException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Docker's capability arithmetic: the default set of 14, {@code --cap-add}/{@code --cap-drop}
 * with names written "CAP_NET_ADMIN", "net_admin" or "ALL", and "all the kernel has" for
 * privileged containers. Mirrors moby's {@code oci/caps.TweakCapabilities}, so the same flags give
 * the same set as on Docker, with one difference: "all" (privileged, {@code --cap-add ALL}) means
 * all the kernel has that the engine itself holds, as in podman. dockerd asks runc for
 * capabilities outside its own bounding set there and the container fails to start ("unable to
 * apply caps"), e.g. where root lacks CAP_SYS_RESOURCE. A capability named explicitly is still
 * asked for as given.
 */
public final class Capabilities {

    /** Docker's default set (moby oci/defaults.go), in Docker's order. */
    public static final List<String> DOCKER_DEFAULT = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    /** Every capability by its number (index = value in linux/capability.h). */
    private static final List<String> BY_NUMBER = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
            "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
            "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
            "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
            "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
            "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
            "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
            "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    private static final String ALL = "ALL";

    private Capabilities() {
    }

    /** The capabilities a kernel whose {@code /proc/sys/kernel/cap_last_cap} is given knows. */
    public static List<String> all(int capLastCap) {
        return BY_NUMBER.subList(0, Math.min(capLastCap + 1, BY_NUMBER.size()));
    }

    /**
     * The container's final capability set, as Docker computes it: privileged gets everything;
     * "ALL" in {@code adds} means everything but the drops; "ALL" in {@code drops} means only the
     * adds; otherwise defaults minus drops plus adds.
     *
     * @param bounding the engine's own bounding set, bit n = capability n
     * @throws EngineException.InvalidParameter for a name the kernel does not know, worded as
     *     Docker does: {@code unknown capability: "CAP_FOO"}
     */
    public static List<String> tweak(List<String> adds, List<String> drops, boolean privileged, int capLastCap,
                                     long bounding) {
        List<String> known = all(capLastCap);
        List<String> held = new ArrayList<>();
        for (int n = 0; n < known.size(); n++) {
            if (n >= Long.SIZE || (bounding & (1L << n)) != 0) {
                held.add(known.get(n));
            }
        }
        if (privileged) {
            return List.copyOf(held);
        }
        if (adds.isEmpty() && drops.isEmpty()) {
            return DOCKER_DEFAULT;
        }
        List<String> capAdd = normalize(adds, known);
        List<String> capDrop = normalize(drops, known);
        Set<String> caps = new LinkedHashSet<>();
        if (capAdd.contains(ALL)) {
            held.stream().filter(c -> !capDrop.contains(c)).forEach(caps::add);
        } else if (capDrop.contains(ALL)) {
            caps.addAll(capAdd);
        } else {
            DOCKER_DEFAULT.stream().filter(c -> !capDrop.contains(c)).forEach(caps::add);
            caps.addAll(capAdd);
        }
        return List.copyOf(caps);
    }

    private static List<String> normalize(List<String> names, List<String> known) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            String upper = name.trim().toUpperCase(Locale.ROOT);
            if (upper.equals(ALL)) {
                out.add(ALL);
                continue;
            }
            String cap = upper.startsWith("CAP_") ? upper : "CAP_" + upper;
            if (!known.contains(cap)) {
                throw new EngineException.InvalidParameter("unknown capability: \"" + cap + "\"");
            }
            out.add(cap);
        }
        return out;
    }
}
