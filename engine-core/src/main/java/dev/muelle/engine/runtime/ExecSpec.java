package dev.muelle.engine.runtime;

import java.util.List;

/**
 * A process to run inside a running container. Whatever is left null is taken from the
 * container's own {@code config.json} process (working directory, user), and so are the
 * capabilities, rlimits, AppArmor profile and no-new-privileges flag unless {@code privileged}.
 *
 * @param args       argv, non-empty
 * @param env        {@code KEY=value} entries that override or extend the container's environment
 * @param workingDir absolute path inside the container, or null for the container's
 * @param uid        user id, or null for the container's user
 * @param gid        group id, or null for the container's group
 * @param privileged grant every capability, as {@code docker exec --privileged}
 * @param console    the terminal's size from the start, for a TTY; null for the runtime's default
 */
public record ExecSpec(List<String> args, List<String> env, String workingDir, Integer uid, Integer gid,
                       boolean tty, boolean openStdin, boolean privileged, ConsoleSize console) {

    /** A terminal size in character cells. */
    public record ConsoleSize(int height, int width) {
    }

    public ExecSpec(List<String> args, List<String> env, String workingDir, Integer uid, Integer gid,
                    boolean tty, boolean openStdin, boolean privileged) {
        this(args, env, workingDir, uid, gid, tty, openStdin, privileged, null);
    }

    public ExecSpec {
        if (args == null || args.isEmpty()) {
            throw new IllegalArgumentException("exec needs a command");
        }
        args = List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
    }
}
