package dev.muelle.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.events.EventBus;
import dev.muelle.engine.image.registry.Platform;
import dev.muelle.engine.image.registry.RegistryAuth;
import dev.muelle.engine.image.registry.RegistryException;
import dev.muelle.engine.image.registry.RegistryHosts;
import dev.muelle.engine.image.registry.RegistryLogin;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.store.Database;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The engine's images: what the API's {@code /images/...} handlers call. An image is its config
 * blob (its ID is {@code sha256} of those exact bytes, so save/load round-trips keep IDs and
 * loading an archive twice changes nothing), the layer stack the config's {@code rootfs.diff_ids}
 * name, and the references (tags, digests) pointing at it.
 *
 * <p>Invariants: every image row has its config blob and holds one {@link LayerStore} reference
 * on each layer of its stack; a reference row always points at an existing image. All reference
 * and image-row changes go through this class.
 *
 * <p>Getting images in: {@link #load} (archives), {@link #importRootfs}, {@link #pull} (registry,
 * see {@code RegistryPull}). Each stages and verifies blobs, unpacks layers, and records the
 * image row and its references last, so an interrupted one never leaves a visible half image;
 * {@link #recover} settles the layer references such an interruption leaves.
 */
public final class ImageService {

    private static final Logger log = LoggerFactory.getLogger(ImageService.class);
    private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ID_PREFIX = Pattern.compile("[0-9a-f]{1,63}");
    private static final String NEVER = "0001-01-01T00:00:00Z";
    private static final Set<String> FILTERS = Set.of("dangling", "reference", "label", "before", "since");

    private final ContentStore blobs;
    private final LayerStore layers;
    private final Database db;
    private final ImageUsage usage;
    private final Map<String, ObjectNode> configs = new ConcurrentHashMap<>();
    private final RegistryHosts registries;
    private final EventBus events;
    private final Instant startedAt = Instant.now();

    private record Row(String id, String parent, long size, String lastTagTime) {
    }

    /** How a user's reference was matched: by name (tag or digest) or by (a prefix of) the ID. */
    private record Found(String id, ImageReference byName) {
    }

    public ImageService(ContentStore blobs, LayerStore layers, Database db, ImageUsage usage) {
        this(blobs, layers, db, usage, new RegistryHosts(List.of(), List.of(Path.of("/etc/docker/certs.d"))));
    }

    /** @param registries how registries are reached (insecure ones, CA certificates) */
    public ImageService(ContentStore blobs, LayerStore layers, Database db, ImageUsage usage, RegistryHosts registries) {
        this(blobs, layers, db, usage, registries, new EventBus());
    }

    /** @param events where image events go (pull, push, tag, untag, delete, load, import, save, prune) */
    public ImageService(ContentStore blobs, LayerStore layers, Database db, ImageUsage usage, RegistryHosts registries,
                        EventBus events) {
        this.blobs = blobs;
        this.layers = layers;
        this.db = db;
        this.usage = usage;
        this.registries = registries;
        this.events = events;
    }

    /**
     * An image event as dockerd's LogImageEvent sends it: {@code actor} is an image ID or, for
     * pull and push, the familiar reference; the image's labels (while it still exists) and
     * {@code name} are the attributes.
     */
    private void event(String action, String actor, String name) {
        Map<String, String> attributes = new LinkedHashMap<>();
        try {
            attributes.putAll(labels(config(find(actor).id())));
        } catch (RuntimeException gone) {
            // deleted images have no labels left to report
        }
        attributes.put("name", name);
        events.publish("image", action, actor, attributes);
    }

    /**
     * Settles what a crash can leave between the image rows and the layer references: a pull or
     * load killed after unpacking layers but before recording its image leaves layers referenced
     * by nothing. Sets each layer's count to the images and container snapshots that use it and
     * deletes the layers left at zero. Call once at start-up, before serving requests.
     */
    public synchronized void recover() {
        Map<Digest, Integer> expected = new LinkedHashMap<>();
        for (String id : db.query("SELECT id FROM images", rs -> rs.getString(1))) {
            try {
                ChainId.of(diffIds(config(id))).forEach(c -> expected.merge(c, 1, Integer::sum));
            } catch (EngineException e) {
                log.warn("image {} has no readable config: {}", id, e.getMessage());
            }
        }
        for (String stack : db.query("SELECT layers FROM snapshots", rs -> rs.getString(1))) {
            for (String chain : stack.trim().split("\\s+")) {
                if (!chain.isEmpty()) {
                    expected.merge(Digest.parse(chain), 1, Integer::sum);
                }
            }
        }
        layers.reconcile(expected);
    }

    // ---- registries

    /**
     * {@code docker pull}: {@code image} may carry a tag or digest; {@code tag} (a tag or a
     * digest, as the API's {@code tag} parameter) overrides it. Progress goes to {@code sink};
     * errors read as dockerd's ({@code manifest for app:nope not found: manifest unknown: …}).
     */
    public String pull(String image, String tag, String platform, RegistryAuth auth, ProgressSink sink) {
        ImageReference ref = ImageReference.parse(image);
        if (tag != null && !tag.isEmpty()) {
            ref = tag.startsWith("sha256:")
                    ? new ImageReference(ref.domain(), ref.path(), null, Digest.parse(tag))
                    : ImageReference.ofTag(ref.name(), tag);
        }
        ref = ref.digest() != null ? new ImageReference(ref.domain(), ref.path(), null, ref.digest()) : ref.withDefaultTag();
        try {
            String id = new RegistryPull(this, blobs, layers, registries).pull(ref, Platform.parse(platform),
                    auth == null ? RegistryAuth.ANONYMOUS : auth, sink);
            event("pull", ref.familiarString(), ref.familiarName());
            return id;
        } catch (RegistryException e) {
            throw pullError(ref, e);
        }
    }

    private static EngineException pullError(ImageReference ref, RegistryException e) {
        String msg = e.getMessage();
        if (e.codes().contains("DENIED") || e.codes().contains("NAME_UNKNOWN") && e.unauthorized()) {
            return new EngineException.NotFound("pull access denied for " + ref.familiarName()
                    + ", repository does not exist or may require 'docker login': " + msg);
        }
        if (e.notFound() && !msg.startsWith("Tried") && !msg.startsWith("no matching manifest")) {
            return new EngineException.NotFound("manifest for " + ref.familiarString() + " not found: " + msg);
        }
        if (e.notFound()) {
            return new EngineException.NotFound(msg);
        }
        return new EngineException.SystemError(msg, e);
    }

    /**
     * {@code docker push}: uploads {@code name:tag} (every tag of {@code name} when {@code tag}
     * is empty) and records the pushed manifest's digest in RepoDigests.
     */
    public void push(String name, String tag, RegistryAuth auth, ProgressSink sink) {
        ImageReference repo = ImageReference.parse(name);
        List<ImageReference> tags = new ArrayList<>();
        if (tag != null && !tag.isEmpty()) {
            tags.add(ImageReference.ofTag(repo.name(), tag));
        } else if (repo.tag() != null) {
            tags.add(repo);
        } else {
            db.query("SELECT ref FROM image_refs ORDER BY ref", rs -> rs.getString(1)).stream().map(ImageReference::parse)
                    .filter(r -> r.tag() != null && r.digest() == null && r.name().equals(repo.name())).forEach(tags::add);
        }
        if (tags.isEmpty()) {
            throw new EngineException.NotFound("An image does not exist locally with the tag: " + repo.familiarName());
        }
        RegistryPush push = new RegistryPush(this, blobs, registries);
        for (ImageReference ref : tags) {
            String id;
            try {
                id = find(ref.toString()).id();
            } catch (EngineException.NotFound e) {
                throw new EngineException.NotFound("An image does not exist locally with the tag: " + ref.familiarName());
            }
            try {
                push.push(ref, id, config(id), auth == null ? RegistryAuth.ANONYMOUS : auth, sink);
                event("push", ref.familiarString(), ref.familiarName());
            } catch (RegistryException e) {
                throw new EngineException.SystemError(e.getMessage(), e);
            }
        }
    }

    /** {@code docker login}: checks the credentials against the registry; dockerd's status line. */
    public String login(RegistryAuth auth) {
        try {
            return new RegistryLogin(registries).login(auth);
        } catch (RegistryException e) {
            throw new EngineException.SystemError(e.getMessage(), e);
        }
    }

    boolean pointsAt(ImageReference ref, String id) {
        return db.query("SELECT 1 FROM image_refs WHERE ref = ? AND image_id = ?", rs -> 1, ref.toString(), id).size() == 1;
    }

    /** The image's layers, bottom first. */
    List<Layer> layersOf(String id) {
        return ChainId.of(diffIds(config(id))).stream().map(c -> layers.get(c).orElseThrow(
                () -> new EngineException.SystemError("layer " + c + " of image " + id + " is missing"))).toList();
    }

    /** Digest references ({@code name@sha256:…}) of images holding {@code blob} as one of their layers. */
    List<ImageReference> digestReferencesWithBlob(Digest blob) {
        List<ImageReference> out = new ArrayList<>();
        for (String chain : db.query("SELECT chain_id FROM layers WHERE blob = ?", rs -> rs.getString(1), blob.toString())) {
            for (var row : db.query("SELECT ref, image_id FROM image_refs", rs -> List.of(rs.getString(1), rs.getString(2)))) {
                ImageReference r = ImageReference.parse(row.get(0));
                if (r.digest() != null && ChainId.of(diffIds(config(row.get(1)))).contains(Digest.parse(chain))) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    ObjectNode parsedConfig(byte[] bytes) {
        return parseConfig(bytes);
    }

    public LayerStore layers() {
        return layers;
    }

    // ---- getting images in

    /**
     * Loads a {@code docker save} archive or OCI layout tar. Returns dockerd's result lines
     * ({@code Loaded image: busybox:latest}, or {@code Loaded image ID: sha256:…} for untagged
     * images); {@code progress} hears about each layer as it is unpacked.
     */
    public List<String> load(InputStream tar, Consumer<String> progress) {
        List<String> result = new ArrayList<>();
        try (DockerArchive archive = DockerArchive.read(tar, blobs)) {
            for (DockerArchive.Entry entry : archive.images()) {
                byte[] config = readStaged(entry.config());
                List<Digest> diffIds = diffIds(parseConfig(config));
                if (diffIds.size() != entry.layers().size()) {
                    throw new EngineException.InvalidParameter("invalid archive: config lists " + diffIds.size()
                            + " layers but the manifest " + entry.layers().size());
                }
                List<Layer> acquired = new ArrayList<>();
                try {
                    Digest parent = null;
                    for (int i = 0; i < diffIds.size(); i++) {
                        progress.accept("Loading layer " + diffIds.get(i).shortHex());
                        Layer layer = applyStaged(parent, diffIds.get(i), entry.layers().get(i));
                        acquired.add(layer);
                        parent = layer.chainId();
                    }
                } catch (RuntimeException e) {
                    layers.release(acquired.stream().map(Layer::chainId).toList());
                    throw e;
                }
                String id = store(config, acquired, "");
                if (entry.repoTags().isEmpty()) {
                    result.add("Loaded image ID: " + id);
                }
                for (String repoTag : entry.repoTags()) {
                    ImageReference ref = ImageReference.parse(repoTag).withDefaultTag();
                    setReference(ref, id).ifPresent(old -> result.add("The image " + ref.familiarString()
                            + " already exists, renaming the old one with ID " + old + " to empty string"));
                    result.add("Loaded image: " + ref.familiarString());
                }
                event("load", id, id);
            }
        } catch (IOException e) {
            throw new EngineException.InvalidParameter("invalid archive: " + e.getMessage(), e);
        }
        result.forEach(line -> log.info("{}", line));
        return result;
    }

    private Layer applyStaged(Digest parent, Digest diffId, ContentStore.Staged staged) {
        Digest blob = staged.digest();
        if (layers.get(ChainId.next(parent, diffId)).isPresent()) {
            return layers.apply(parent, diffId, InputStream.nullInputStream(), 0, null); // takes a reference
        }
        blobs.commit(staged, null); // kept "as delivered", so save can stream it back
        try (InputStream in = blobs.read(blob)) {
            return layers.apply(parent, diffId, in, staged.size(), blob);
        } catch (IOException | RuntimeException e) {
            layers.deleteBlobIfUnused(blob);
            throw e instanceof EngineException ee ? ee
                    : new EngineException.SystemError("cannot read layer " + blob + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code docker import}: one layer from a rootfs tar (gzip, zstd or plain; an empty tar gives
     * an image without layers), a config built from Dockerfile-style {@code changes}. Tags
     * {@code repo:tag} when {@code repo} is not empty. Returns the new image ID.
     */
    public String importRootfs(InputStream tar, String repo, String tag, List<String> changes, String message) {
        ImageReference ref = repo == null || repo.isEmpty() ? null : ImageReference.ofTag(repo, tag);
        ObjectNode containerConfig = emptyContainerConfig();
        ConfigChanges.apply(containerConfig, changes == null ? List.of() : changes);
        ContentStore.Staged staged = blobs.stage(tar);
        List<Layer> acquired = new ArrayList<>();
        try {
            if (!isEmptyTar(staged)) {
                Digest blob = blobs.commit(staged, null);
                try (InputStream in = blobs.read(blob)) {
                    acquired.add(layers.apply(null, null, in, staged.size(), blob));
                } catch (RuntimeException e) {
                    layers.deleteBlobIfUnused(blob);
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot read imported rootfs: " + e.getMessage(), e);
        } finally {
            blobs.discard(staged);
        }
        String created = Instant.now().toString();
        ObjectNode config = Json.object();
        config.put("architecture", DockerArchive.hostArchitecture());
        config.put("comment", message == null ? "" : message);
        config.set("config", containerConfig);
        config.put("created", created);
        ArrayNode history = config.putArray("history");
        history.addObject().put("created", created).put("comment", message == null ? "" : message);
        config.put("os", "linux");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        acquired.forEach(l -> diffIds.add(l.diffId().toString()));
        String id = store(toBytes(config), acquired, "");
        if (ref != null) {
            setReference(ref, id);
            event("tag", id, ref.familiarString());
        }
        event("import", id, id);
        return id;
    }

    private static boolean isEmptyTar(ContentStore.Staged staged) throws IOException {
        try (InputStream in = LayerUnpacker.decompressed(Files.newInputStream(staged.file()));
             TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            return t.getNextEntry() == null;
        } catch (IOException e) {
            throw new EngineException.InvalidParameter("invalid rootfs tar: " + e.getMessage(), e);
        }
    }

    /** Records an image whose layers are {@code acquired} (one reference each, handed over). */
    synchronized String store(byte[] config, List<Layer> acquired, String parent) {
        List<Digest> chain = acquired.stream().map(Layer::chainId).toList();
        List<Digest> expected = ChainId.of(diffIds(parseConfig(config)));
        if (!expected.equals(chain)) {
            layers.release(chain);
            throw new EngineException.InvalidParameter("image config rootfs does not match its layers");
        }
        String id = blobs.write(config, Digest.of(config)).toString();
        if (row(id).isPresent()) {
            layers.release(chain); // loaded before: the existing row already holds references
            return id;
        }
        long size = acquired.stream().mapToLong(Layer::size).sum();
        db.update("INSERT INTO images (id, parent, size, stored) VALUES (?, ?, ?, ?)", id, parent, size,
                Instant.now().toString());
        return id;
    }

    /**
     * {@code docker save}: a docker-archive tar of the named images, streamed as it is written
     * (by a background thread, so the caller can copy it to the client while it is produced).
     * Images named by tag record that tag; images named by ID record none, as dockerd does.
     */
    public InputStream save(List<String> refs) {
        Map<String, List<String>> tagsById = new LinkedHashMap<>();
        for (String ref : refs) {
            Found found = find(ref);
            List<String> tags = tagsById.computeIfAbsent(found.id(), k -> new ArrayList<>());
            if (found.byName() != null && found.byName().tag() != null && found.byName().digest() == null) {
                tags.add(found.byName().familiarString());
            }
        }
        List<DockerArchiveWriter.Item> items = new ArrayList<>();
        tagsById.forEach((id, tags) -> items.add(new DockerArchiveWriter.Item(Digest.parse(id),
                ChainId.of(diffIds(config(id))).stream().map(c -> layers.get(c).orElseThrow()).toList(), tags)));
        try {
            PipedInputStream in = new PipedInputStream(1 << 16);
            PipedOutputStream out = new PipedOutputStream(in);
            Thread writer = new Thread(() -> {
                try {
                    DockerArchiveWriter.write(items, blobs, out);
                    out.close();
                    tagsById.keySet().forEach(id -> event("save", id, id));
                } catch (IOException | RuntimeException e) {
                    // Leave the pipe unclosed: the reader then gets "Pipe broken" rather than a
                    // clean end of stream that would pass a truncated archive off as complete.
                    log.warn("image save failed: {}", e.getMessage());
                }
            }, "image-save");
            writer.setDaemon(true);
            writer.start();
            return in;
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot start image save: " + e.getMessage(), e);
        }
    }

    // ---- references

    /** {@code docker tag}: points {@code repo:tag} (tag defaults to latest) at {@code source}. */
    public void tag(String source, String repo, String tag) {
        String id = find(source).id();
        ImageReference ref = ImageReference.ofTag(repo, tag);
        setReference(ref, id);
        event("tag", id, ref.familiarString());
    }

    /** Points {@code ref} at {@code id}; returns the image it pointed at before, if another. */
    synchronized Optional<String> setReference(ImageReference ref, String id) {
        String now = Instant.now().toString();
        return db.transaction(c -> {
            String old = null;
            try (var ps = c.prepareStatement("SELECT image_id FROM image_refs WHERE ref = ?")) {
                ps.setString(1, ref.toString());
                try (var rs = ps.executeQuery()) {
                    if (rs.next()) {
                        old = rs.getString(1);
                    }
                }
            }
            try (var ps = c.prepareStatement(
                    "INSERT INTO image_refs (ref, image_id, created) VALUES (?, ?, ?) "
                            + "ON CONFLICT(ref) DO UPDATE SET image_id = excluded.image_id, created = excluded.created")) {
                Database.bind(ps, ref.toString(), id, now);
                ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("UPDATE images SET last_tag_time = ? WHERE id = ?")) {
                Database.bind(ps, now, id);
                ps.executeUpdate();
            }
            return old == null || old.equals(id) ? Optional.<String>empty() : Optional.of(old);
        });
    }

    private List<ImageReference> references(String id) {
        return db.query("SELECT ref FROM image_refs WHERE image_id = ? ORDER BY ref", rs -> rs.getString(1), id)
                .stream().map(ImageReference::parse).toList();
    }

    // ---- removal

    /**
     * {@code docker rmi}: untags and, when nothing else refers to it, deletes the image and the
     * layers only it used. Follows dockerd's rules and 409 messages for images in use or tagged
     * in several repositories. Returns {@code [{"Untagged":…}, {"Deleted":…}]} records.
     */
    public synchronized List<Map<String, String>> remove(String ref, boolean force, boolean noprune) {
        Found found = find(ref);
        String id = found.id();
        List<Map<String, String>> records = new ArrayList<>();
        List<ImageReference> refs = references(id);
        boolean quiet = false;
        if (found.byName() != null) {
            ImageReference named = found.byName();
            List<String> users = usage.containersUsing(id);
            if (!force && isSingleReference(refs) && !users.isEmpty()) {
                throw new EngineException.Conflict("conflict: unable to remove repository reference \"" + ref
                        + "\" (must force) - container " + shortId(users.get(0)) + " is using its referenced image "
                        + shortId(id));
            }
            untag(id, named, records);
            List<ImageReference> remaining = references(id);
            boolean onlyDigestsOfSameRepo = named.tag() != null && remaining.stream()
                    .filter(r -> r.name().equals(named.name())).allMatch(r -> r.digest() != null);
            if (onlyDigestsOfSameRepo) {
                for (ImageReference r : remaining) {
                    if (r.name().equals(named.name())) {
                        untag(id, r, records);
                    }
                }
            }
            if (!references(id).isEmpty()) {
                return records;
            }
            quiet = true;
        } else if (isSingleReference(refs)) {
            checkConflicts(id, force, false);
            for (ImageReference r : refs) {
                untag(id, r, records);
            }
        }
        deleteImage(id, force, !noprune, quiet, records);
        return records;
    }

    private void deleteImage(String id, boolean force, boolean prune, boolean quiet, List<Map<String, String>> records) {
        try {
            checkConflicts(id, force, true);
        } catch (EngineException.Conflict conflict) {
            boolean used = !usage.containersUsing(id).isEmpty();
            if (quiet && (!references(id).isEmpty() || used)) {
                return; // untagging alone was asked for; the image stays for its containers
            }
            throw conflict;
        }
        for (ImageReference r : references(id)) {
            untag(id, r, records);
        }
        Row row = row(id).orElseThrow();
        ObjectNode config = config(id);
        db.update("DELETE FROM images WHERE id = ?", id);
        records.add(Map.of("Deleted", id));
        for (Layer removed : layers.release(ChainId.of(diffIds(config)))) {
            records.add(Map.of("Deleted", removed.chainId().toString()));
        }
        blobs.delete(Digest.parse(id));
        configs.remove(id);
        event("delete", id, id);
        if (prune && !row.parent().isEmpty() && row(row.parent()).isPresent() && references(row.parent()).isEmpty()
                && children(row.parent()).isEmpty()) {
            deleteImage(row.parent(), false, true, true, records);
        }
    }

    /** dockerd's imageDeleteConflict: hard conflicts cannot be forced, soft ones can. */
    private void checkConflicts(String id, boolean force, boolean referencesConflict) {
        if (!children(id).isEmpty()) {
            throw conflict(id, true, "image has dependent child images");
        }
        if (!force && referencesConflict && !references(id).isEmpty()) {
            throw conflict(id, false, "image is referenced in multiple repositories");
        }
        List<String> running = usage.runningContainersUsing(id);
        if (!running.isEmpty()) {
            throw conflict(id, true, "image is being used by running container " + shortId(running.get(0)));
        }
        if (!force) {
            List<String> stopped = new ArrayList<>(usage.containersUsing(id));
            stopped.removeAll(running);
            if (!stopped.isEmpty()) {
                throw conflict(id, false, "image is being used by stopped container " + shortId(stopped.get(0)));
            }
        }
    }

    private static EngineException.Conflict conflict(String id, boolean hard, String why) {
        return new EngineException.Conflict("conflict: unable to delete " + shortId(id) + " ("
                + (hard ? "cannot be forced" : "must be forced") + ") - " + why);
    }

    /** One repository and at most one tag among the references (dockerd's isSingleReference). */
    private static boolean isSingleReference(List<ImageReference> refs) {
        if (refs.size() <= 1) {
            return refs.size() == 1;
        }
        List<ImageReference> tags = refs.stream().filter(r -> r.digest() == null).toList();
        Set<String> digestRepos = refs.stream().filter(r -> r.digest() != null).map(ImageReference::name)
                .collect(Collectors.toSet());
        if (tags.size() > 1) {
            return false;
        }
        String single = tags.isEmpty() ? refs.get(0).name() : tags.get(0).name();
        return digestRepos.size() == 1 && digestRepos.contains(single);
    }

    private void untag(String id, ImageReference ref, List<Map<String, String>> records) {
        db.update("DELETE FROM image_refs WHERE ref = ?", ref.toString());
        records.add(Map.of("Untagged", ref.familiarString()));
        event("untag", id, id);
    }

    private List<String> children(String id) {
        return db.query("SELECT id FROM images WHERE parent = ?", rs -> rs.getString(1), id);
    }

    private static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    // ---- housekeeping

    /**
     * {@code docker image prune}: removes images no container uses: only untagged ones unless
     * {@code dangling=false} ({@code -a}); {@code until} (timestamp or Go duration) and
     * {@code label}/{@code label!} narrow it. Images others are built on stay.
     */
    public synchronized PruneReport prune(Map<String, List<String>> filters) {
        Map<String, List<String>> f = filters == null ? Map.of() : filters;
        for (String key : f.keySet()) {
            if (!Set.of("dangling", "until", "label", "label!").contains(key)) {
                throw new EngineException.InvalidParameter("invalid filter '" + key + "'");
            }
        }
        boolean danglingOnly = f.getOrDefault("dangling", List.of("true")).stream().allMatch(v -> !v.equalsIgnoreCase("false") && !v.equals("0"));
        Instant until = f.containsKey("until") ? Timestamps.parse(f.get("until").get(0), Instant.now()) : null;
        Map<Digest, Long> sizes = new LinkedHashMap<>();
        layers.all().forEach(l -> sizes.put(l.chainId(), l.size()));
        List<Map<String, String>> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (String id : db.query("SELECT id FROM images ORDER BY stored DESC", rs -> rs.getString(1))) {
            if (row(id).isEmpty() || !usage.containersUsing(id).isEmpty()) {
                continue;
            }
            ObjectNode config = config(id);
            if (until != null && !created(config).isBefore(until)) {
                continue;
            }
            Map<String, String> labels = labels(config);
            if (!f.getOrDefault("label", List.of()).stream().allMatch(l -> labelMatches(labels, l))
                    || f.getOrDefault("label!", List.of()).stream().anyMatch(l -> labelMatches(labels, l))) {
                continue;
            }
            List<ImageReference> refs = references(id);
            if (danglingOnly && refs.stream().anyMatch(r -> r.tag() != null)) {
                continue;
            }
            try {
                List<Map<String, String>> records = new ArrayList<>();
                for (ImageReference r : refs) {
                    records.addAll(remove(r.toString(), false, false));
                }
                if (row(id).isPresent()) {
                    records.addAll(remove(id, false, false));
                }
                for (Map<String, String> r : records) {
                    String gone = r.get("Deleted");
                    if (gone != null && !gone.equals(id)) {
                        reclaimed += sizes.getOrDefault(Digest.parse(gone), 0L);
                    }
                }
                deleted.addAll(records);
            } catch (EngineException.Conflict e) {
                log.debug("prune keeps {}: {}", id, e.getMessage());
            }
        }
        reclaimed += sweepBlobs();
        events.publish("image", "prune", "", Map.of("reclaimed", String.valueOf(reclaimed)));
        return new PruneReport(deleted.isEmpty() ? null : deleted, reclaimed);
    }

    /**
     * Deletes blobs nothing refers to (no image config, no layer) that were written before this
     * engine started: layer blobs a pull committed before it was cut short and never retried.
     * Newer ones may belong to a pull in progress, so they stay. Returns the bytes freed.
     */
    private long sweepBlobs() {
        Set<String> used = new java.util.HashSet<>(db.query("SELECT id FROM images", rs -> rs.getString(1)));
        used.addAll(db.query("SELECT blob FROM layers WHERE blob IS NOT NULL", rs -> rs.getString(1)));
        long freed = 0;
        for (Digest blob : blobs.writtenBefore(startedAt)) {
            if (!used.contains(blob.toString())) {
                freed += blobs.size(blob);
                blobs.delete(blob);
                log.info("pruned unreferenced blob {}", blob);
            }
        }
        return freed;
    }

    /** The images part of {@code docker system df}, with sizes from the layer store. */
    public DiskUsage diskUsage() {
        Map<Digest, Long> sizes = new LinkedHashMap<>();
        layers.all().forEach(l -> sizes.put(l.chainId(), l.size()));
        Map<String, List<Digest>> stacks = new LinkedHashMap<>();
        Map<Digest, Integer> users = new LinkedHashMap<>();
        for (String id : db.query("SELECT id FROM images", rs -> rs.getString(1))) {
            List<Digest> chain = ChainId.of(diffIds(config(id)));
            stacks.put(id, chain);
            chain.forEach(c -> users.merge(c, 1, Integer::sum));
        }
        List<ImageSummary> out = new ArrayList<>();
        for (ImageSummary s : list(true, Map.of())) {
            List<Digest> chain = stacks.getOrDefault(s.id(), List.of());
            long shared = chain.stream().filter(c -> users.getOrDefault(c, 0) > 1).mapToLong(c -> sizes.getOrDefault(c, 0L)).sum();
            out.add(new ImageSummary(s.id(), s.parentId(), s.repoTags(), s.repoDigests(), s.created(), s.size(), shared,
                    s.virtualSize(), s.labels(), usage.containersUsing(s.id()).size()));
        }
        return new DiskUsage(sizes.values().stream().mapToLong(Long::longValue).sum(), out);
    }

    // ---- queries

    /**
     * Finds an image by full or short ID (with or without {@code sha256:}), {@code name[:tag]}
     * (tag defaults to latest) or {@code name@digest}. {@code NotFound} says
     * {@code No such image: busybox:latest}; malformed references are {@code InvalidParameter}.
     */
    public Image resolve(String ref) {
        String id = find(ref).id();
        JsonNode c = config(id).path("config");
        Map<String, String> labels = new LinkedHashMap<>();
        c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<String> ports = new ArrayList<>();
        c.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        List<String> volumes = new ArrayList<>();
        c.path("Volumes").fieldNames().forEachRemaining(volumes::add);
        JsonNode health = c.get("Healthcheck");
        return new Image(id, references(id).stream().filter(r -> r.tag() != null).map(ImageReference::familiarString).toList(),
                strings(c.path("Env")), strings(c.path("Cmd")), strings(c.path("Entrypoint")),
                c.path("WorkingDir").asText(""), c.path("User").asText(""), List.copyOf(ports), List.copyOf(volumes),
                Map.copyOf(labels), c.path("StopSignal").asText(""), health == null || health.isNull() ? null : health.deepCopy(),
                ChainId.of(diffIds(config(id))));
    }

    private Found find(String ref) {
        if (ref == null || ref.isEmpty()) {
            throw new EngineException.InvalidParameter("invalid reference format");
        }
        String hex = ref.startsWith("sha256:") ? ref.substring(7) : ref;
        if (FULL_ID.matcher(hex).matches()) {
            if (row("sha256:" + hex).isPresent()) {
                return new Found("sha256:" + hex, null);
            }
            throw EngineException.NotFound.image("sha256:" + hex);
        }
        ImageReference named = null;
        if (!ref.startsWith("sha256:")) {
            named = ImageReference.parse(ref).withDefaultTag();
            List<String> ids = db.query("SELECT image_id FROM image_refs WHERE ref = ?", rs -> rs.getString(1),
                    named.toString());
            if (!ids.isEmpty()) {
                return new Found(ids.get(0), named);
            }
        }
        if (ID_PREFIX.matcher(hex).matches()) {
            List<String> ids = db.query("SELECT id FROM images WHERE substr(id, 8, ?) = ?", rs -> rs.getString(1),
                    hex.length(), hex);
            if (ids.size() == 1) {
                return new Found(ids.get(0), null);
            }
        }
        throw EngineException.NotFound.image(named != null ? named.familiarString() : ref);
    }

    /** {@code GET /images/json}: filters dangling, reference, label, before, since. */
    public List<ImageSummary> list(boolean all, Map<String, List<String>> filters) {
        Map<String, List<String>> f = filters == null ? Map.of() : filters;
        for (String key : f.keySet()) {
            if (!FILTERS.contains(key)) {
                throw new EngineException.InvalidParameter("invalid filter '" + key + "'");
            }
        }
        List<Row> rows = db.query("SELECT id, parent, size, last_tag_time FROM images",
                rs -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
        Set<String> parents = rows.stream().map(Row::parent).filter(p -> !p.isEmpty()).collect(Collectors.toSet());
        Predicate<Instant> createdOk = createdFilter(f);
        List<ImageSummary> out = new ArrayList<>();
        for (Row row : rows) {
            ObjectNode config = config(row.id());
            List<ImageReference> refs = references(row.id());
            List<String> tags = refs.stream().filter(r -> r.tag() != null).map(ImageReference::familiarString).toList();
            List<String> digests = refs.stream().filter(r -> r.digest() != null)
                    .map(r -> r.familiarName() + "@" + r.digest()).toList();
            boolean dangling = tags.isEmpty() && digests.isEmpty();
            if (!all && dangling && parents.contains(row.id()) && !f.containsKey("dangling")) {
                continue; // an intermediate build image, hidden as dockerd does
            }
            if (f.containsKey("dangling") && f.get("dangling").stream().noneMatch(v -> Boolean.parseBoolean(v) == dangling)) {
                continue;
            }
            if (f.containsKey("reference") && refs.stream().noneMatch(r -> f.get("reference").stream()
                    .anyMatch(p -> glob(p, r.familiarName()) || glob(p, r.familiarString())))) {
                continue;
            }
            Map<String, String> labels = labels(config);
            if (f.containsKey("label") && !f.get("label").stream().allMatch(l -> labelMatches(labels, l))) {
                continue;
            }
            Instant created = created(config);
            if (!createdOk.test(created)) {
                continue;
            }
            out.add(new ImageSummary(row.id(), row.parent(), tags, digests, created.getEpochSecond(), row.size(), -1,
                    row.size(), labels.isEmpty() ? null : labels, -1)); // dockerd sends null, not {}
        }
        out.sort(Comparator.comparingLong(ImageSummary::created).reversed());
        return out;
    }

    private Predicate<Instant> createdFilter(Map<String, List<String>> f) {
        Predicate<Instant> p = t -> true;
        for (String before : f.getOrDefault("before", List.of())) {
            Instant limit = created(config(find(before).id()));
            p = p.and(t -> t.isBefore(limit));
        }
        for (String since : f.getOrDefault("since", List.of())) {
            Instant limit = created(config(find(since).id()));
            p = p.and(t -> t.isAfter(limit));
        }
        return p;
    }

    private static boolean labelMatches(Map<String, String> labels, String filter) {
        int eq = filter.indexOf('=');
        return eq < 0 ? labels.containsKey(filter) : filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }

    private static boolean glob(String pattern, String name) {
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(name));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code GET /images/{name}/json} in Docker's ImageInspect shape. */
    public ObjectNode inspect(String ref) {
        String id = find(ref).id();
        Row row = row(id).orElseThrow(() -> EngineException.NotFound.image(ref));
        ObjectNode config = config(id);
        List<ImageReference> refs = references(id);
        ObjectNode out = Json.object();
        out.put("Id", id);
        ArrayNode tags = out.putArray("RepoTags");
        refs.stream().filter(r -> r.tag() != null).forEach(r -> tags.add(r.familiarString()));
        ArrayNode digests = out.putArray("RepoDigests");
        refs.stream().filter(r -> r.digest() != null).forEach(r -> digests.add(r.familiarName() + "@" + r.digest()));
        out.put("Parent", row.parent());
        out.put("Comment", config.path("comment").asText(""));
        out.put("Created", config.path("created").asText(NEVER));
        out.put("DockerVersion", config.path("docker_version").asText(""));
        out.put("Author", config.path("author").asText(""));
        out.set("Config", config.path("config").isObject() ? config.get("config").deepCopy() : emptyContainerConfig());
        out.put("Architecture", config.path("architecture").asText(""));
        if (config.hasNonNull("variant")) {
            out.put("Variant", config.get("variant").asText());
        }
        out.put("Os", config.path("os").asText(""));
        out.put("Size", row.size());
        ObjectNode graph = out.putObject("GraphDriver");
        graph.put("Name", "overlay2");
        ObjectNode data = graph.putObject("Data");
        List<Digest> chain = ChainId.of(diffIds(config));
        if (!chain.isEmpty()) {
            List<String> lower = new ArrayList<>();
            for (int i = chain.size() - 2; i >= 0; i--) {
                lower.add(layers.diff(chain.get(i)).toString());
            }
            if (!lower.isEmpty()) {
                data.put("LowerDir", String.join(":", lower));
            }
            data.put("UpperDir", layers.diff(chain.get(chain.size() - 1)).toString());
        }
        ObjectNode rootfs = out.putObject("RootFS");
        rootfs.put("Type", "layers");
        ArrayNode layerIds = rootfs.putArray("Layers");
        diffIds(config).forEach(d -> layerIds.add(d.toString()));
        out.putObject("Metadata").put("LastTagTime", row.lastTagTime() == null ? NEVER : row.lastTagTime());
        return out;
    }

    /**
     * {@code GET /images/{name}/history}: the config's history, newest first, each entry with the
     * size of the layer it made. As in dockerd, entries get the image's ID and tags, then its
     * parent's (images built here), and {@code <missing>} beyond.
     */
    public ArrayNode history(String ref) {
        String id = find(ref).id();
        ObjectNode config = config(id);
        List<Digest> chain = ChainId.of(diffIds(config));
        List<ObjectNode> entries = new ArrayList<>();
        int layer = 0;
        for (JsonNode h : config.path("history")) {
            long size = 0;
            if (!h.path("empty_layer").asBoolean(false)) {
                if (layer >= chain.size()) {
                    throw new EngineException.SystemError("too many non-empty layers in History section");
                }
                size = layers.get(chain.get(layer++)).map(Layer::size).orElse(0L);
            }
            ObjectNode e = Json.object();
            e.put("Id", "<missing>");
            e.put("Created", created(h).getEpochSecond());
            e.put("CreatedBy", h.path("created_by").asText(""));
            e.putNull("Tags");
            e.put("Size", size);
            e.put("Comment", h.path("comment").asText(""));
            entries.add(0, e);
        }
        String current = id;
        for (ObjectNode e : entries) {
            e.put("Id", current);
            List<String> tags = references(current).stream().filter(r -> r.tag() != null)
                    .map(ImageReference::familiarString).toList();
            if (!tags.isEmpty()) {
                tags.forEach(e.putArray("Tags")::add);
            }
            Optional<Row> row = row(current);
            if (row.isEmpty() || row.get().parent().isEmpty()) {
                break;
            }
            current = row.get().parent();
        }
        ArrayNode out = Json.array();
        entries.forEach(out::add);
        return out;
    }

    // ---- commits: new images from a container's changes or a build step
    // (kept apart from pull/push and load/save: used by docker commit and the builder)

    /** Writes one layer tar (uncompressed) to the stream it is given. */
    @FunctionalInterface
    public interface LayerTar {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * What a new image says about itself on top of {@code parentId} ({@code null} or empty: on
     * nothing, as after {@code FROM scratch}): its run {@code config} (Docker's container Config)
     * and the history line that explains it.
     */
    public record NewImage(String parentId, ObjectNode config, String createdBy, String comment, String author) {
    }

    /**
     * Records a new image: the parent's layers plus, unless {@code layer} is null (a metadata-only
     * step: {@code empty_layer} in history), one layer written by {@code layer}. Returns its ID.
     * Equal inputs at the same instant give the same ID, so committing twice is harmless.
     */
    public String commit(NewImage spec, LayerTar layer) {
        boolean hasParent = spec.parentId() != null && !spec.parentId().isEmpty();
        String parentId = hasParent ? find(spec.parentId()).id() : "";
        ObjectNode parentConfig = hasParent ? config(parentId) : null;
        List<Digest> diffIds = hasParent ? new ArrayList<>(diffIds(parentConfig)) : new ArrayList<>();
        List<Digest> chain = ChainId.of(diffIds);
        List<Layer> acquired = new ArrayList<>();
        layers.acquire(chain);
        chain.forEach(c -> acquired.add(layers.get(c).orElseThrow()));
        try {
            if (layer != null) {
                Layer added = applyCommitted(chain.isEmpty() ? null : chain.get(chain.size() - 1), layer);
                acquired.add(added);
                diffIds.add(added.diffId());
            }
        } catch (RuntimeException e) {
            layers.release(acquired.stream().map(Layer::chainId).toList());
            throw e;
        }
        String created = Instant.now().toString();
        ObjectNode config = Json.object();
        config.put("architecture", DockerArchive.hostArchitecture());
        if (spec.author() != null && !spec.author().isEmpty()) {
            config.put("author", spec.author());
        }
        if (spec.comment() != null && !spec.comment().isEmpty()) {
            config.put("comment", spec.comment());
        }
        config.set("config", spec.config() == null ? emptyContainerConfig() : spec.config());
        config.put("created", created);
        ArrayNode history = config.putArray("history");
        if (parentConfig != null) {
            parentConfig.path("history").forEach(h -> history.add(h.deepCopy()));
        }
        ObjectNode entry = history.addObject().put("created", created).put("created_by", spec.createdBy());
        if (spec.author() != null && !spec.author().isEmpty()) {
            entry.put("author", spec.author());
        }
        if (spec.comment() != null && !spec.comment().isEmpty()) {
            entry.put("comment", spec.comment());
        }
        if (layer == null) {
            entry.put("empty_layer", true);
        }
        config.put("os", "linux");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(d -> ids.add(d.toString()));
        return store(toBytes(config), acquired, parentId);
    }

    /** Stores the tar as a blob (uncompressed: its digest is its diff ID) and unpacks it on {@code parent}. */
    private Layer applyCommitted(Digest parent, LayerTar layer) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(layers.root(), ".commit-", ".tar");
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                layer.writeTo(out);
            }
            Digest blob;
            try (InputStream in = Files.newInputStream(tmp)) {
                blob = blobs.commit(blobs.stage(in, Files.size(tmp)), null);
            }
            try (InputStream in = blobs.read(blob)) {
                return layers.apply(parent, null, in, Files.size(tmp), blob);
            } catch (RuntimeException e) {
                layers.deleteBlobIfUnused(blob);
                throw e;
            }
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot write layer: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    log.warn("cannot remove {}: {}", tmp, e.getMessage());
                }
            }
        }
    }

    /** A copy of the image's run config (Docker's container Config), every key present. */
    public ObjectNode runConfig(String ref) {
        JsonNode c = config(find(ref).id()).path("config");
        ObjectNode out = emptyContainerConfig();
        if (c.isObject()) {
            c.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue().deepCopy()));
        }
        return out;
    }

    /** Whether {@code id} (a full image ID) is still in the store, e.g. a build-cache hit. */
    public boolean exists(String id) {
        return id != null && id.startsWith("sha256:") && row(id).isPresent();
    }

    // ---- config helpers

    private ObjectNode config(String id) {
        return configs.computeIfAbsent(id, k -> parseConfig(blobs.readAllBytes(Digest.parse(k))));
    }

    private Optional<Row> row(String id) {
        return db.query("SELECT id, parent, size, last_tag_time FROM images WHERE id = ?",
                rs -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)), id)
                .stream().findFirst();
    }

    private static ObjectNode parseConfig(byte[] bytes) {
        try {
            JsonNode node = Json.parse(bytes);
            if (node instanceof ObjectNode o && "layers".equals(o.path("rootfs").path("type").asText())) {
                return o;
            }
        } catch (IOException e) {
            throw new EngineException.InvalidParameter("invalid image config: " + e.getMessage(), e);
        }
        throw new EngineException.InvalidParameter("invalid image config: rootfs type must be \"layers\"");
    }

    private static List<Digest> diffIds(JsonNode config) {
        List<Digest> out = new ArrayList<>();
        config.path("rootfs").path("diff_ids").forEach(d -> out.add(Digest.parse(d.asText())));
        return out;
    }

    private static Instant created(JsonNode config) {
        try {
            return Instant.parse(config.path("created").asText(NEVER));
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static Map<String, String> labels(JsonNode config) {
        Map<String, String> labels = new LinkedHashMap<>();
        config.path("config").path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    /** dockerd's zero container.Config, field for field, so inspect output has every key. */
    public static ObjectNode emptyContainerConfig() {
        ObjectNode c = Json.object();
        c.put("Hostname", "").put("Domainname", "").put("User", "");
        c.put("AttachStdin", false).put("AttachStdout", false).put("AttachStderr", false);
        c.put("Tty", false).put("OpenStdin", false).put("StdinOnce", false);
        c.putNull("Env");
        c.putNull("Cmd");
        c.put("Image", "");
        c.putNull("Volumes");
        c.put("WorkingDir", "");
        c.putNull("Entrypoint");
        c.putNull("OnBuild");
        c.putNull("Labels");
        return c;
    }

    private static byte[] readStaged(ContentStore.Staged staged) {
        try {
            return Files.readAllBytes(staged.file());
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot read staged blob: " + e.getMessage(), e);
        }
    }

    /**
     * An image config's bytes, whose digest is the image ID: characters outside the BMP (emoji in
     * a label) stay raw UTF-8 as ever, where {@link Json#bytes} would escape them and change the ID.
     */
    static byte[] toBytes(JsonNode node) {
        return Json.string(node).getBytes(StandardCharsets.UTF_8);
    }
}
