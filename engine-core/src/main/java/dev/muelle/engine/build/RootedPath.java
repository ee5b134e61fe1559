package dev.muelle.engine.build;

import dev.muelle.engine.errors.EngineException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Resolves a path inside a root directory the way a process chrooted there would see it: every
 * symlink is followed relative to the root (an absolute link target starts again at the root)
 * and {@code ..} stops at the root. So a build context or an image's files can never make the
 * builder read or write outside them, whatever links they hold.
 */
final class RootedPath {

    private static final int MAX_LINKS = 255;

    private RootedPath() {
    }

    /**
     * The real path of {@code path} under {@code root}; it need not exist. With {@code followLast}
     * false a final symlink is returned as the link itself.
     */
    static Path resolve(Path root, String path, boolean followLast) {
        Deque<String> todo = new ArrayDeque<>(Arrays.asList(path.split("/")));
        Deque<String> done = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                done.pollLast();
                continue;
            }
            Path candidate = join(root, done).resolve(part);
            if (Files.isSymbolicLink(candidate) && (followLast || !isLast(todo))) {
                if (++links > MAX_LINKS) {
                    throw new EngineException.InvalidParameter("too many levels of symbolic links: " + path);
                }
                String target;
                try {
                    target = Files.readSymbolicLink(candidate).toString();
                } catch (IOException e) {
                    throw new EngineException.SystemError("cannot read link " + candidate + ": " + e.getMessage(), e);
                }
                if (target.startsWith("/")) {
                    done.clear();
                }
                String[] parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    todo.addFirst(parts[i]);
                }
                continue;
            }
            done.addLast(part);
        }
        return join(root, done);
    }

    private static boolean isLast(Deque<String> todo) {
        return todo.stream().allMatch(p -> p.isEmpty() || p.equals("."));
    }

    private static Path join(Path root, Deque<String> parts) {
        Path p = root;
        for (String part : parts) {
            p = p.resolve(part);
        }
        return p;
    }
}
