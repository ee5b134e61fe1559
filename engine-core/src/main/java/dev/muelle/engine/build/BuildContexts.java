package dev.muelle.engine.build;

import dev.muelle.engine.errors.EngineException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Unpacked build contexts, named by the sha256 of their (uncompressed) tar. A rebuild sends the
 * same bytes again, so its context is found unpacked and only spooled, never unpacked twice:
 * creating thousands of small files is most of what a cached rebuild would otherwise cost.
 *
 * <p>Invariants: a {@code context-<hex>} dir appears only complete (unpacked under a temp name,
 * then renamed) and is never written after; builds only read it. Up to {@link #KEEP} recent
 * contexts are kept; older ones are deleted once no build uses them. Leftovers from an earlier
 * engine run are deleted when this is created.
 */
final class BuildContexts {

    private static final int KEEP = 2;
    private static final String PREFIX = "context-";

    private final Path scratch;
    private final Map<String, Integer> inUse = new HashMap<>();
    private final Deque<String> recent = new ArrayDeque<>();

    BuildContexts(Path scratch) {
        this.scratch = scratch;
        try {
            Files.createDirectories(scratch);
            try (Stream<Path> s = Files.list(scratch)) {
                s.filter(p -> p.getFileName().toString().startsWith(PREFIX)
                        || p.getFileName().toString().startsWith("spool-")).forEach(BuildContext::deleteQuietly);
            }
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot prepare build dir " + scratch + ": " + e.getMessage(), e);
        }
    }

    /** Spools and (unless an identical one is kept) unpacks a context tar; the caller closes it. */
    BuildContext open(InputStream body) {
        Path spool = scratch.resolve("spool-" + UUID.randomUUID());
        try {
            MessageDigest sha = FileCopy.sha256();
            try (InputStream in = BuildContext.decompressed(body);
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(spool), sha)) {
                in.transferTo(out);
            }
            String hex = HexFormat.of().formatHex(sha.digest());
            Path dir = scratch.resolve(PREFIX + hex);
            synchronized (this) {
                if (Files.isDirectory(dir)) {
                    return acquire(hex, dir);
                }
            }
            Path tmp = scratch.resolve("spool-" + UUID.randomUUID());
            try (InputStream tar = Files.newInputStream(spool)) {
                BuildContext.unpackInto(tar, tmp);
            }
            synchronized (this) {
                if (Files.isDirectory(dir)) {
                    BuildContext.deleteQuietly(tmp); // unpacked concurrently by an identical build
                } else {
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                }
                return acquire(hex, dir);
            }
        } catch (IOException e) {
            throw new EngineException.InvalidParameter("failed to read build context: " + e.getMessage(), e);
        } finally {
            BuildContext.deleteQuietly(spool);
        }
    }

    private BuildContext acquire(String hex, Path dir) {
        inUse.merge(hex, 1, Integer::sum);
        recent.remove(hex);
        recent.addLast(hex);
        return BuildContext.open(dir, () -> release(hex));
    }

    private synchronized void release(String hex) {
        inUse.merge(hex, -1, Integer::sum);
        for (String old : recent.toArray(String[]::new)) {
            if (recent.size() <= KEEP) {
                break;
            }
            if (inUse.getOrDefault(old, 0) <= 0) {
                recent.remove(old);
                inUse.remove(old);
                BuildContext.deleteQuietly(scratch.resolve(PREFIX + old));
            }
        }
    }
}
