package dev.muelle.engine.image;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Unpacked, read-only layers keyed by chain ID: {@code <root>/<chain-id-hex>/diff} holds the
 * layer's files in overlayfs lower-dir form (see {@link LayerUnpacker}). A layer dir is never
 * changed once visible; containers write to their own upper dirs ({@link Snapshotter}).
 *
 * <p>Lifecycle: <b>apply</b> unpacks a tar into {@code <root>/.tmp-<random>} and renames it into
 * place when complete, so a crash never leaves a half layer under a chain-ID name; a chain ID
 * already present is not unpacked again. Every apply and {@link #acquire} takes one reference;
 * {@link #release} drops references and deletes layers that reach zero. Images hold one reference
 * on each layer of their stack, container snapshots hold another, so removing an image deletes
 * only layers nothing else uses.
 *
 * <p>Pulling an image: for each layer bottom-up, {@code apply(parentChainId, diffIdFromConfig,
 * blobStream, blobDigest)}; then record the image. Running a container: the snapshotter
 * {@link #acquire}s the image's chain and mounts {@link #diff}s as overlay lower dirs.
 */
public final class LayerStore {

    private static final Logger log = LoggerFactory.getLogger(LayerStore.class);
    private static final Pattern CHAIN_DIR = Pattern.compile("[0-9a-f]{64}");
    private static final String TMP_PREFIX = ".tmp-";

    private final Path root;
    private final Database db;
    private final ContentStore blobs;

    private LayerStore(Path root, Database db, ContentStore blobs) {
        this.root = root;
        this.db = db;
        this.blobs = blobs;
    }

    /**
     * Opens the store and repairs what a crash can leave: temp dirs, layer dirs without a row,
     * rows without a dir, and layers unpacked for an image that was never recorded (refcount 0).
     */
    public static LayerStore open(Path root, Database db, ContentStore blobs) {
        LayerStore store = new LayerStore(root, db, blobs);
        try {
            Files.createDirectories(root);
            store.recover();
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot open layer store " + root + ": " + e.getMessage(), e);
        }
        return store;
    }

    private void recover() throws IOException {
        Set<String> known = new HashSet<>(db.query("SELECT chain_id FROM layers", rs -> rs.getString(1)));
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String name = dir.getFileName().toString();
                if (!CHAIN_DIR.matcher(name).matches() || !known.contains("sha256:" + name)) {
                    log.info("removing incomplete layer directory {}", dir);
                    FileTrees.deleteRecursively(dir);
                }
            }
        }
        for (String chain : known) {
            if (!Files.isDirectory(diff(Digest.parse(chain)))) {
                log.warn("layer {} has no directory; forgetting it", chain);
                db.update("DELETE FROM layers WHERE chain_id = ?", chain);
            }
        }
        List<Digest> unused = db.query("SELECT chain_id FROM layers WHERE refcount <= 0",
                rs -> Digest.parse(rs.getString(1)));
        for (Digest chain : unused) {
            delete(get(chain).orElseThrow());
        }
    }

    /**
     * Unpacks a layer tar on top of {@code parent} (null for a base layer) and takes a reference
     * on the result. With {@code expectedDiffId} given and that layer already present, the
     * stream is not read at all; with it given and the tar hashing differently, nothing is kept
     * and an {@code InvalidParameter} names both diff IDs.
     *
     * @param tarBytes how long {@code tar} is as given (compressed or not), -1 if unknown: picks
     *                 the hasher ({@link Digest#sha256(long)})
     * @param blob the content-store blob {@code tar} came from, recorded so save can stream it
     *             back; may be null
     */
    public Layer apply(Digest parent, Digest expectedDiffId, InputStream tar, long tarBytes, Digest blob) {
        if (expectedDiffId != null) {
            Optional<Layer> present = acquireIfPresent(ChainId.next(parent, expectedDiffId));
            if (present.isPresent()) {
                return present.get();
            }
        }
        Path tmp = root.resolve(TMP_PREFIX + UUID.randomUUID());
        try {
            Files.createDirectories(tmp.resolve("diff"));
            LayerUnpacker.Result unpacked = LayerUnpacker.unpack(tar, tarBytes, tmp.resolve("diff"));
            if (expectedDiffId != null && !expectedDiffId.equals(unpacked.diffId())) {
                throw new EngineException.InvalidParameter("layer diff ID mismatch: expected " + expectedDiffId
                        + ", got " + unpacked.diffId());
            }
            Layer layer = new Layer(ChainId.next(parent, unpacked.diffId()), unpacked.diffId(), parent,
                    unpacked.size(), blob);
            return register(layer, tmp);
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot unpack layer: " + e.getMessage(), e);
        } finally {
            try {
                FileTrees.deleteRecursively(tmp);
            } catch (IOException e) {
                log.warn("cannot remove {}: {}", tmp, e.getMessage());
            }
        }
    }

    private synchronized Layer register(Layer layer, Path tmp) throws IOException {
        Optional<Layer> present = acquireIfPresent(layer.chainId());
        if (present.isPresent()) {
            return present.get(); // unpacked concurrently or under another expected diff ID
        }
        if (layer.parent() != null && get(layer.parent()).isEmpty()) {
            throw new EngineException.SystemError("parent layer " + layer.parent() + " is not in the layer store");
        }
        Files.move(tmp, root.resolve(layer.chainId().hex()), StandardCopyOption.ATOMIC_MOVE);
        db.update("INSERT INTO layers (chain_id, diff_id, parent, size, blob, refcount) VALUES (?, ?, ?, ?, ?, 1)",
                layer.chainId().toString(), layer.diffId().toString(), str(layer.parent()), layer.size(),
                str(layer.blob()));
        return layer;
    }

    private synchronized Optional<Layer> acquireIfPresent(Digest chainId) {
        int n = db.update("UPDATE layers SET refcount = refcount + 1 WHERE chain_id = ?", chainId.toString());
        return n == 0 ? Optional.empty() : get(chainId);
    }

    /** Takes one more reference on each layer; all must exist. */
    public synchronized void acquire(List<Digest> chainIds) {
        db.transaction(c -> {
            for (Digest chain : chainIds) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE layers SET refcount = refcount + 1 WHERE chain_id = ?")) {
                    ps.setString(1, chain.toString());
                    if (ps.executeUpdate() == 0) {
                        throw new EngineException.NotFound("layer " + chain + " is not in the layer store");
                    }
                }
            }
            return null;
        });
    }

    /** Drops one reference on each layer and deletes those left unused; returns the deleted ones. */
    public synchronized List<Layer> release(List<Digest> chainIds) {
        List<Digest> unused = db.transaction(c -> {
            List<Digest> zero = new ArrayList<>();
            for (Digest chain : chainIds) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE layers SET refcount = refcount - 1 WHERE chain_id = ? RETURNING refcount")) {
                    ps.setString(1, chain.toString());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getInt(1) <= 0) {
                            zero.add(chain);
                        }
                    }
                }
            }
            return zero;
        });
        List<Layer> deleted = new ArrayList<>();
        Collections.reverse(unused); // callers list stacks bottom-up; remove tops first
        for (Digest chain : unused) {
            get(chain).ifPresent(layer -> {
                delete(layer);
                deleted.add(layer);
            });
        }
        return deleted;
    }

    private void delete(Layer layer) {
        Path dir = root.resolve(layer.chainId().hex());
        Path doomed = root.resolve(TMP_PREFIX + "rm-" + UUID.randomUUID());
        try {
            if (Files.exists(dir)) {
                Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE); // gone from view at once
            }
            db.update("DELETE FROM layers WHERE chain_id = ?", layer.chainId().toString());
            FileTrees.deleteRecursively(doomed);
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot remove layer " + layer.chainId() + ": " + e.getMessage(), e);
        }
        if (layer.blob() != null) {
            deleteBlobIfUnused(layer.blob());
        }
    }

    /**
     * Sets every layer's reference count to {@code expected} (absent: 0) and deletes the layers
     * left unused. For start-up, when the owners of the references have been counted afresh.
     */
    public synchronized void reconcile(Map<Digest, Integer> expected) {
        List<Digest> unused = new ArrayList<>();
        for (var row : db.query("SELECT chain_id, refcount FROM layers",
                rs -> Map.entry(Digest.parse(rs.getString(1)), rs.getInt(2)))) {
            int want = expected.getOrDefault(row.getKey(), 0);
            if (want != row.getValue()) {
                log.info("layer {} had {} references, {} expected", row.getKey(), row.getValue(), want);
                db.update("UPDATE layers SET refcount = ? WHERE chain_id = ?", want, row.getKey().toString());
            }
            if (want <= 0) {
                unused.add(row.getKey());
            }
        }
        for (Digest chain : unused) {
            get(chain).ifPresent(this::delete);
        }
    }

    /** All layers, for disk usage: each counted once however many images share it. */
    public List<Layer> all() {
        return db.query("SELECT chain_id, diff_id, parent, size, blob FROM layers",
                rs -> new Layer(Digest.parse(rs.getString(1)), Digest.parse(rs.getString(2)),
                        digestOrNull(rs.getString(3)), rs.getLong(4), digestOrNull(rs.getString(5))));
    }

    /** Deletes a layer tar blob no layer was unpacked from, e.g. after a refused or failed apply. */
    synchronized void deleteBlobIfUnused(Digest blob) {
        if (db.query("SELECT 1 FROM layers WHERE blob = ?", rs -> 1, blob.toString()).isEmpty()) {
            blobs.delete(blob);
        }
    }

    public Optional<Layer> get(Digest chainId) {
        return db.query("SELECT chain_id, diff_id, parent, size, blob FROM layers WHERE chain_id = ?",
                rs -> new Layer(Digest.parse(rs.getString(1)), Digest.parse(rs.getString(2)),
                        digestOrNull(rs.getString(3)), rs.getLong(4), digestOrNull(rs.getString(5))),
                chainId.toString()).stream().findFirst();
    }

    /** The layer's files, for use as an overlay lower dir. */
    public Path diff(Digest chainId) {
        return root.resolve(chainId.hex()).resolve("diff");
    }

    Path root() {
        return root;
    }

    private static String str(Digest d) {
        return d == null ? null : d.toString();
    }

    private static Digest digestOrNull(String s) {
        return s == null ? null : Digest.parse(s);
    }
}
