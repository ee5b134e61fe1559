package dev.muelle.engine.image;

import dev.muelle.engine.errors.EngineException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Content-addressed blobs: configs, manifests and layer tars as delivered (compressed or not),
 * each stored once at {@code <root>/sha256/<hex>}.
 *
 * <p>Lifecycle of a write ("ingest"): bytes stream into {@code <root>/ingest/<random>} while being
 * hashed; {@link #commit} renames the finished file into place only if its digest is the one
 * expected. So a blob path, once visible, always holds exactly the bytes its name promises; a
 * kill -9 mid-write leaves only an ingest file, which {@link #open} removes at the next start.
 *
 * <p>Registry pulls fit the same path: stage the response body with the descriptor's digest
 * expected.
 */
public final class ContentStore {

    /** A finished, hashed but not yet committed blob. */
    public record Staged(Path file, Digest digest, long size) {
    }

    private final Path root;
    private final Path ingest;

    private ContentStore(Path root) {
        this.root = root;
        this.ingest = root.resolve("ingest");
    }

    /** Opens (creating) the store under {@code root} and discards ingests a crash left behind. */
    public static ContentStore open(Path root) {
        ContentStore store = new ContentStore(root);
        try {
            Files.createDirectories(root.resolve("sha256"));
            Files.createDirectories(store.ingest);
            try (Stream<Path> leftovers = Files.list(store.ingest)) {
                for (Path p : (Iterable<Path>) leftovers::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot open content store " + root + ": " + e.getMessage(), e);
        }
        return store;
    }

    /**
     * Writes a blob. With {@code expected} non-null the content must hash to it, otherwise
     * nothing is stored and an {@code InvalidParameter} names both digests.
     */
    public Digest write(InputStream in, Digest expected) {
        return commit(stage(in), expected);
    }

    /** As {@link #write(InputStream, Digest)}, for bytes at hand. */
    public Digest write(byte[] data, Digest expected) {
        return commit(stage(new java.io.ByteArrayInputStream(data), data.length), expected);
    }

    /** {@link #stage(InputStream, long)} of an unknown amount of data. */
    public Staged stage(InputStream in) {
        return stage(in, -1);
    }

    /**
     * Streams {@code in} into an ingest file, hashing as it goes. Caller commits or discards.
     * {@code expectedBytes} (-1: unknown) picks the hasher: {@link Digest#sha256(long)}.
     */
    public Staged stage(InputStream in, long expectedBytes) {
        Path tmp = ingest.resolve(UUID.randomUUID().toString());
        MessageDigest sha = Digest.sha256(expectedBytes);
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
            long size = in.transferTo(out);
            return new Staged(tmp, Digest.of(sha), size);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new EngineException.SystemError("cannot write blob: " + e.getMessage(), e);
        }
    }

    /** Moves a staged file to its content address; a mismatch with {@code expected} discards it. */
    public Digest commit(Staged staged, Digest expected) {
        if (expected != null && !expected.equals(staged.digest())) {
            discard(staged);
            throw new EngineException.InvalidParameter(
                    "digest mismatch: expected " + expected + ", got " + staged.digest());
        }
        Path target = path(staged.digest());
        try {
            if (Files.exists(target)) {
                discard(staged);
            } else {
                Files.move(staged.file(), target, StandardCopyOption.ATOMIC_MOVE);
            }
            return staged.digest();
        } catch (FileAlreadyExistsException e) {
            discard(staged);
            return staged.digest();
        } catch (AtomicMoveNotSupportedException e) {
            discard(staged);
            throw new EngineException.SystemError("content store ingest and blobs are on different filesystems", e);
        } catch (IOException e) {
            discard(staged);
            throw new EngineException.SystemError("cannot store blob " + staged.digest() + ": " + e.getMessage(), e);
        }
    }

    public void discard(Staged staged) {
        deleteQuietly(staged.file());
    }

    public boolean exists(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    /** Opens a blob for reading; {@code NotFound} when absent. */
    public InputStream read(Digest digest) {
        try {
            return Files.newInputStream(path(digest));
        } catch (NoSuchFileException e) {
            throw new EngineException.NotFound("blob " + digest + " not found");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] readAllBytes(Digest digest) {
        try (InputStream in = read(digest)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot read blob " + digest + ": " + e.getMessage(), e);
        }
    }

    public long size(Digest digest) {
        try {
            return Files.size(path(digest));
        } catch (IOException e) {
            throw new EngineException.NotFound("blob " + digest + " not found");
        }
    }

    /** Blobs last written before {@code instant}, for sweeping those nothing refers to. */
    public List<Digest> writtenBefore(Instant instant) {
        List<Digest> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("sha256"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.matches("[0-9a-f]{64}") && Files.getLastModifiedTime(p).toInstant().isBefore(instant)) {
                    out.add(new Digest(name));
                }
            }
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot list blobs: " + e.getMessage(), e);
        }
        return out;
    }

    /** Removes a blob; absent blobs are not an error (deletes are idempotent). */
    public void delete(Digest digest) {
        deleteQuietly(path(digest));
    }

    Path path(Digest digest) {
        return root.resolve("sha256").resolve(digest.hex());
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }
}
