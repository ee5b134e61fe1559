package dev.muelle.engine.runtime;

import dev.muelle.engine.errors.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a Docker user spec ("", "name", "uid", "name:group", "uid:gid") against the
 * container's own {@code /etc/passwd} and {@code /etc/group}, the way runc's
 * {@code user.GetExecUser} does for Docker:
 *
 * <ul>
 *   <li>"" is root (uid 0, gid 0, or root's passwd entry);</li>
 *   <li>a numeric user needs no passwd entry (gid then defaults to 0); a name does;</li>
 *   <li>an explicit group replaces the primary gid; without one, the groups listing the user
 *       become supplementary groups;</li>
 *   <li>{@code groupAdd} names or gids are added, and, as Docker does since 23.0, the primary
 *       gid is the first additional gid.</li>
 * </ul>
 *
 * Files are looked up inside the rootfs, following symlinks without leaving it.
 */
public final class UserResolver {

    /** The identity the container's process runs with. */
    public record ExecUser(int uid, int gid, List<Integer> additionalGids, String home) {
        public ExecUser {
            additionalGids = List.copyOf(additionalGids);
        }
    }

    private record PasswdEntry(String name, int uid, int gid, String home) {
    }

    private record GroupEntry(String name, int gid, List<String> members) {
    }

    private static final long MAX_ID = Integer.MAX_VALUE;

    private final Path rootfs;

    public UserResolver(Path rootfs) {
        this.rootfs = rootfs;
    }

    /** Resolves {@code userSpec} plus Docker's {@code GroupAdd} list for this rootfs. */
    public ExecUser resolve(String userSpec, List<String> groupAdd) {
        String spec = userSpec == null ? "" : userSpec.trim();
        int colon = spec.indexOf(':');
        String userArg = colon < 0 ? spec : spec.substring(0, colon);
        String groupArg = colon < 0 ? "" : spec.substring(colon + 1);
        Optional<Integer> uidArg = parseId(userArg);

        List<PasswdEntry> passwd = readPasswd();
        PasswdEntry matched = passwd.stream()
                .filter(u -> userArg.isEmpty() ? u.uid() == 0
                        : uidArg.isPresent() ? u.uid() == uidArg.get() : u.name().equals(userArg))
                .findFirst().orElse(null);

        int uid = 0;
        int gid = 0;
        String home = "/";
        if (matched != null) {
            uid = matched.uid();
            gid = matched.gid();
            home = matched.home();
        } else if (!userArg.isEmpty()) {
            if (uidArg.isEmpty()) {
                throw new EngineException.InvalidParameter(
                        "unable to find user " + userArg + ": no matching entries in passwd file");
            }
            uid = uidArg.get();
        }

        List<Integer> supplementary = new ArrayList<>();
        if (!groupArg.isEmpty() || matched != null) {
            List<GroupEntry> groups = readGroups();
            if (!groupArg.isEmpty()) {
                gid = findGroup(groups, groupArg).orElseThrow(() -> new EngineException.InvalidParameter(
                        "unable to find group " + groupArg + ": no matching entries in group file"));
            } else {
                groups.stream().filter(g -> g.members().contains(matched.name()))
                        .forEach(g -> supplementary.add(g.gid()));
            }
        }

        List<Integer> additional = new ArrayList<>();
        additional.add(gid);
        additional.addAll(supplementary);
        if (!groupAdd.isEmpty()) {
            List<GroupEntry> groups = readGroups();
            for (String name : groupAdd) {
                additional.add(findGroup(groups, name).orElseThrow(() -> new EngineException.InvalidParameter(
                        "Unable to find group " + name + ": no matching entries in group file")));
            }
        }
        return new ExecUser(uid, gid, additional, home);
    }

    /** A group by name, or by gid when numeric (a numeric gid needs no entry). */
    private static Optional<Integer> findGroup(List<GroupEntry> groups, String arg) {
        Optional<Integer> gidArg = parseId(arg);
        Optional<Integer> found = groups.stream()
                .filter(g -> gidArg.isPresent() ? g.gid() == gidArg.get() : g.name().equals(arg))
                .map(GroupEntry::gid).findFirst();
        return found.isPresent() ? found : gidArg;
    }

    private static Optional<Integer> parseId(String text) {
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        long id;
        try {
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            id = Long.MAX_VALUE;
        }
        if (id > MAX_ID) {
            throw new EngineException.InvalidParameter("uids and gids must be in range 0-" + MAX_ID);
        }
        return Optional.of((int) id);
    }

    private List<PasswdEntry> readPasswd() {
        List<PasswdEntry> entries = new ArrayList<>();
        for (String[] f : readColonFile("/etc/passwd")) {
            if (f.length >= 4) {
                Optional<Integer> uid = parseQuietly(f[2]);
                Optional<Integer> gid = parseQuietly(f[3]);
                if (uid.isPresent() && gid.isPresent()) {
                    entries.add(new PasswdEntry(f[0], uid.get(), gid.get(), f.length > 5 ? f[5] : "/"));
                }
            }
        }
        return entries;
    }

    private List<GroupEntry> readGroups() {
        List<GroupEntry> entries = new ArrayList<>();
        for (String[] f : readColonFile("/etc/group")) {
            if (f.length >= 3) {
                Optional<Integer> gid = parseQuietly(f[2]);
                List<String> members = f.length > 3 && !f[3].isBlank()
                        ? List.of(f[3].trim().split("\\s*,\\s*")) : List.of();
                gid.ifPresent(g -> entries.add(new GroupEntry(f[0], g, members)));
            }
        }
        return entries;
    }

    private static Optional<Integer> parseQuietly(String text) {
        try {
            return Optional.of(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Lines of a colon-separated file inside the rootfs, split; empty when the file is absent. */
    private List<String[]> readColonFile(String pathInContainer) {
        Path file = resolveInRootfs(pathInContainer);
        if (file == null || !Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            List<String[]> lines = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.trim();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    lines.add(trimmed.split(":", -1));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot read " + pathInContainer + " of the container: " + e.getMessage(), e);
        }
    }

    /**
     * The host path of {@code pathInContainer}, following symlinks as the container would see
     * them (absolute targets are relative to the rootfs, ".." stops at it), or null if missing.
     */
    private Path resolveInRootfs(String pathInContainer) {
        Path current = rootfs;
        List<String> pending = new ArrayList<>(List.of(pathInContainer.split("/")));
        int hops = 0;
        while (!pending.isEmpty()) {
            String part = pending.remove(0);
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                current = current.equals(rootfs) ? rootfs : current.getParent();
                continue;
            }
            Path next = current.resolve(part);
            if (Files.isSymbolicLink(next)) {
                if (++hops > 40) {
                    return null;
                }
                try {
                    String target = Files.readSymbolicLink(next).toString();
                    if (target.startsWith("/")) {
                        current = rootfs;
                    }
                    pending.addAll(0, List.of(target.split("/")));
                } catch (IOException e) {
                    return null;
                }
            } else if (Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                current = next;
            } else {
                return null;
            }
        }
        return current;
    }
}
