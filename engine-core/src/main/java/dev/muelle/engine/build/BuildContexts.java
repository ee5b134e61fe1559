package dev.muelle.engine.build;

import dev.muelle.engine.errors.EngineException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The unpacked build contexts: {@link ContextTree}s kept between builds, so a rebuild writes
 * only what changed in its context instead of unpacking all of it again.
 *
 * <p>Invariants: a tree is used by one build at a time; a build takes the tree released most
 * recently (the project built last is the one most likely built next) or a new one when all are
 * busy. Up to {@link #KEEP} idle trees are kept; leftovers from an earlier engine run are
 * deleted when this is created.
 */
final class BuildContexts {

    private static final int KEEP = 2;
    private static final String PREFIX = "tree-";

    private final Path scratch;
    private final Deque<ContextTree> idle = new ArrayDeque<>();

    BuildContexts(Path scratch) {
        this.scratch = scratch;
        try {
            Files.createDirectories(scratch);
            try (Stream<Path> s = Files.list(scratch)) {
                s.forEach(BuildContext::deleteQuietly);
            }
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot prepare build dir " + scratch + ": " + e.getMessage(), e);
        }
    }

    /** Brings a tree up to date with a context tar (plain, gzip or bzip2); the caller closes it. */
    BuildContext open(InputStream body) {
        ContextTree tree;
        synchronized (this) {
            tree = idle.isEmpty() ? new ContextTree(scratch.resolve(PREFIX + UUID.randomUUID())) : idle.pollFirst();
        }
        try (InputStream tar = BuildContext.decompressed(body)) {
            tree.update(tar);
        } catch (IOException e) {
            tree.clear();
            release(tree);
            throw new EngineException.InvalidParameter("failed to read build context: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            release(tree);
            throw e;
        }
        try {
            return BuildContext.open(tree.root(), tree::checksum, () -> release(tree));
        } catch (RuntimeException e) {
            release(tree);
            throw e;
        }
    }

    private synchronized void release(ContextTree tree) {
        idle.addFirst(tree);
        while (idle.size() > KEEP) {
            idle.pollLast().clear();
        }
    }
}
