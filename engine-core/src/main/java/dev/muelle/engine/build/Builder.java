package dev.muelle.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.container.Container;
import dev.muelle.engine.container.ContainerCommit;
import dev.muelle.engine.container.ContainerConfig;
import dev.muelle.engine.container.ContainerService;
import dev.muelle.engine.container.HostConfig;
import dev.muelle.engine.container.logs.LogOptions;
import dev.muelle.engine.container.logs.LogReader;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.image.Digest;
import dev.muelle.engine.image.Image;
import dev.muelle.engine.image.ImageReference;
import dev.muelle.engine.image.ImageService;
import dev.muelle.engine.image.LayerDiffWriter;
import dev.muelle.engine.image.LayerStore;
import dev.muelle.engine.image.RootfsView;
import dev.muelle.engine.image.Snapshotter;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.runtime.StdStream;
import dev.muelle.engine.runtime.UserResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker's classic builder: runs a parsed {@link Dockerfile} step by step, each step making an
 * image on top of the previous one, and reports in dockerd's words ({@code Step N/M : ...},
 * {@code ---> Using cache}, {@code ---> <id>}, {@code Successfully built/tagged}).
 *
 * <p>Caching: a step is looked up in the {@link BuildCache} by a key over its parent image, its
 * instruction after variable expansion, the image config it results in (so the ARG/ENV values it
 * sees), for RUN the build args in its environment, and for COPY/ADD the digest of the files it
 * reads. Keys do not depend on time, so a rebuild with no change reuses every step, and a change
 * at step k misses from k on (the parent IDs differ after it).
 *
 * <p>RUN steps run in a container of this engine ({@link ContainerService}); its upper dir
 * becomes the step's layer. COPY/ADD stage the files exactly as the layer will hold them and
 * write that directory as a deterministic tar, so unchanged files give unchanged layer digests.
 */
public final class Builder {

    private static final Logger log = LoggerFactory.getLogger(Builder.class);
    private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private final ImageService images;
    private final ContainerService containers;
    private final Snapshotter snapshots;
    private final LayerStore layers;
    private final BuildCache cache;
    private final BuildContexts contexts;
    private final Path scratch;
    private final Path runContainers;

    public Builder(ImageService images, ContainerService containers, Snapshotter snapshots, LayerStore layers,
                   BuildCache cache, Path scratch) {
        this.images = images;
        this.containers = containers;
        this.snapshots = snapshots;
        this.layers = layers;
        this.cache = cache;
        this.scratch = scratch;
        this.contexts = new BuildContexts(scratch.resolve("contexts"));
        this.runContainers = scratch.resolve("build-containers");
        removeLeftoverContainers();
    }

    /**
     * RUN containers of builds the engine did not finish (it was killed, or stopped, mid-step):
     * their ids are kept as files in {@link #runContainers} while they exist. Such a container
     * may still be running under its monitor; it is forced out, as a cancelled build's would be.
     */
    private void removeLeftoverContainers() {
        try {
            Files.createDirectories(runContainers);
            try (var ids = Files.list(runContainers)) {
                for (Path marker : ids.toList()) {
                    String id = marker.getFileName().toString();
                    try {
                        containers.remove(id, true, true);
                        log.info("removed build container {} left by an unfinished build", id);
                    } catch (EngineException.NotFound gone) {
                        // removed already
                    } catch (RuntimeException e) {
                        log.warn("cannot remove leftover build container {}: {}", id, e.getMessage());
                        continue;
                    }
                    Files.deleteIfExists(marker);
                }
            }
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot read " + runContainers + ": " + e.getMessage(), e);
        }
    }

    /** A failed step: its message and, for RUN, the command's exit code. */
    private static final class StepFailed extends RuntimeException {
        final int code;

        StepFailed(String message, int code) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** The build was cancelled: it stops where it is and says nothing more. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("build cancelled", null, false, false);
        }
    }

    /** Where a stage has got to: the image so far and what later steps see. */
    private static final class Stage {
        final String name;
        String imageId = "";
        ObjectNode config;
        final Map<String, String> args = new LinkedHashMap<>();
        boolean cmdSet;
        String author = "";

        Stage(String name) {
            this.name = name;
        }
    }

    /** Unpacks the context a client sent (tar, gzip or bzip2); the caller closes it. */
    public BuildContext context(InputStream tar) {
        return contexts.open(tar);
    }

    /** Reads and parses the Dockerfile in {@code ctx}: a bad one fails before any step runs. */
    public Dockerfile dockerfile(BuildContext ctx, String name) {
        return DockerfileParser.parse(ctx.dockerfile(name));
    }

    /**
     * One build: runs it and reports to {@code out}; returns the image ID, empty when it failed.
     * When {@code cancel} completes (the client went away) the build stops: a running RUN is
     * killed and its container removed, later steps don't run and no tag moves.
     */
    public Optional<String> build(Dockerfile df, BuildContext ctx, BuildOptions opts, BuildOutput out,
                                  CompletionStage<?> cancel) {
        Run run = new Run(df, ctx, opts, out);
        // Only a reference the build clears: a keep-alive connection outlives many builds.
        AtomicReference<Run> current = new AtomicReference<>(run);
        cancel.thenRun(() -> {
            Run r = current.get();
            if (r != null) {
                r.cancel();
            }
        });
        try {
            return Optional.of(run.execute());
        } catch (Cancelled e) {
            log.info("build cancelled: the client went away");
        } catch (StepFailed e) {
            out.error(e.getMessage(), e.code);
        } catch (EngineException e) {
            out.error(e.getMessage(), 0);
        } finally {
            current.set(null);
        }
        return Optional.empty();
    }

    /** Clears the step cache ({@code docker builder prune}); returns how many entries went. */
    public int prune() {
        return cache.prune();
    }

    private final class Run {
        final Dockerfile df;
        final BuildContext ctx;
        final BuildOptions opts;
        final BuildOutput out;
        final Map<String, String> globalArgs = new LinkedHashMap<>();
        final Map<String, String> unusedArgs;
        final List<Stage> done = new ArrayList<>();
        int step;
        int total;
        volatile boolean cancelled;
        /** The RUN container of the step running now, if any. */
        volatile String running;

        Run(Dockerfile df, BuildContext ctx, BuildOptions opts, BuildOutput out) {
            this.df = df;
            this.ctx = ctx;
            this.opts = opts;
            this.out = out;
            this.unusedArgs = new TreeMap<>(opts.buildArgs());
        }

        void say(String text) {
            if (!opts.quiet() && !cancelled) {
                try {
                    out.stream(text);
                } catch (UncheckedIOException gone) {
                    cancel();
                    throw new Cancelled();
                }
            }
        }

        /** Stops the build: the step running now is killed; the build thread cleans up. */
        void cancel() {
            cancelled = true;
            String id = running;
            if (id != null) {
                killQuietly(id);
            }
        }

        void killQuietly(String id) {
            try {
                containers.kill(id, "KILL");
            } catch (RuntimeException e) {
                log.debug("build container {} not killed: {}", id, e.getMessage());
            }
        }

        String execute() {
            List<Dockerfile.Stage> stages = df.stages();
            if (opts.target() != null && !opts.target().isEmpty()) {
                int ix = -1;
                for (int i = 0; i < stages.size(); i++) {
                    if (opts.target().equalsIgnoreCase(String.valueOf(stages.get(i).name()))) {
                        ix = i;
                    }
                }
                if (ix < 0) {
                    throw new EngineException.InvalidParameter("failed to reach build target " + opts.target()
                            + " in Dockerfile");
                }
                stages = stages.subList(0, ix + 1);
            }
            List<Instruction> labels = new ArrayList<>();
            if (!opts.labels().isEmpty()) {
                StringBuilder line = new StringBuilder("LABEL");
                new TreeMap<>(opts.labels()).forEach((k, v) -> line.append(' ').append(k).append("=").append(quote(v)));
                labels.add(DockerfileParser.parseLine(line.toString(), 0, '\\'));
            }
            total = df.globalArgs().size() + labels.size();
            for (Dockerfile.Stage s : stages) {
                total += 1 + s.instructions().size();
            }
            for (Instruction arg : df.globalArgs()) {
                announce(arg);
                for (String word : arg.args()) {
                    String[] kv = ShellWords.expand(word, df.escape(), globalArgs::get).split("=", 2);
                    globalArgs.put(kv[0], opts.buildArgs().containsKey(kv[0]) ? opts.buildArgs().get(kv[0])
                            : kv.length > 1 ? kv[1] : null);
                    unusedArgs.remove(kv[0]);
                }
            }
            Stage stage = null;
            for (int i = 0; i < stages.size(); i++) {
                Dockerfile.Stage s = stages.get(i);
                stage = from(s, i);
                for (Instruction in : s.instructions()) {
                    announce(in);
                    dispatch(stage, in);
                }
                if (i == stages.size() - 1) {
                    for (Instruction in : labels) {
                        announce(in);
                        dispatch(stage, in);
                    }
                }
                done.add(stage);
            }
            String id = stage.imageId;
            if (id.isEmpty()) {
                throw new EngineException.InvalidParameter("No image was generated. Is your Dockerfile empty?");
            }
            if (opts.quiet()) {
                out.stream(id + "\n");
            } else {
                out.aux(id);
            }
            if (!unusedArgs.isEmpty()) {
                say("[Warning] One or more build-args " + unusedArgs.keySet().toString().replace(",", "")
                        + " were not consumed\n");
            }
            say("Successfully built " + shortId(id) + "\n");
            for (String t : opts.tags()) {
                ImageReference ref = ImageReference.parse(t).withDefaultTag();
                images.tag(id, ref.name(), ref.tag());
                say("Successfully tagged " + ref.familiarString() + "\n");
            }
            return id;
        }

        void announce(Instruction in) {
            if (cancelled) {
                throw new Cancelled();
            }
            step++;
            say("Step " + step + "/" + total + " : " + in.original());
            say("\n");
        }

        // ---- FROM

        /**
         * The image a FROM names: pulled (anonymously, as the classic builder does without
         * X-Registry-Config) when it is missing or when --pull asks for the newest.
         */
        String baseImage(String ref) {
            if (!opts.pull()) {
                try {
                    return images.resolve(ref).id();
                } catch (EngineException.NotFound e) {
                    // not here: pull it
                }
            }
            images.pull(ref, null, null, dev.muelle.engine.image.registry.RegistryAuth.ANONYMOUS,
                    dev.muelle.engine.image.ProgressSink.NONE);
            return images.resolve(ref).id();
        }

        Stage from(Dockerfile.Stage s, int index) {
            announce(s.from());
            String ref = ShellWords.expand(s.from().args().get(0), df.escape(), globalArgs::get);
            Stage stage = new Stage(s.name());
            if (ref.equalsIgnoreCase("scratch")) {
                stage.config = ImageService.emptyContainerConfig();
                say(" ---> \n");
            } else {
                Stage earlier = stageByName(ref);
                if (earlier != null) {
                    stage.imageId = earlier.imageId;
                } else {
                    stage.imageId = baseImage(ref);
                }
                stage.config = images.runConfig(stage.imageId);
                say(" ---> " + shortId(stage.imageId) + "\n");
            }
            JsonNode triggers = stage.config.get("OnBuild");
            stage.config.putNull("OnBuild");
            if (triggers != null && triggers.isArray() && triggers.size() > 0) {
                say("# Executing " + triggers.size() + " build trigger" + (triggers.size() == 1 ? "" : "s") + "\n");
                for (JsonNode t : triggers) {
                    dispatch(stage, DockerfileParser.parseLine(t.asText(), s.from().line(), df.escape()));
                }
            }
            return stage;
        }

        Stage stageByName(String ref) {
            for (int i = 0; i < done.size(); i++) {
                Stage st = done.get(i);
                if (ref.equalsIgnoreCase(String.valueOf(st.name)) || ref.equals(String.valueOf(i))) {
                    return st;
                }
            }
            return null;
        }

        // ---- dispatch

        void dispatch(Stage st, Instruction in) {
            switch (in.keyword()) {
                case "RUN" -> runStep(st, in);
                case "COPY", "ADD" -> copyStep(st, in);
                default -> metadataStep(st, in);
            }
        }

        /** What ${VAR} means in this stage: the config's Env first, then declared build args. */
        String lookup(Stage st, String name) {
            String env = lookupEnv(st, name);
            return env != null ? env : st.args.get(name);
        }

        String lookupEnv(Stage st, String name) {
            for (JsonNode e : st.config.path("Env")) {
                String kv = e.asText();
                if (kv.startsWith(name + "=")) {
                    return kv.substring(name.length() + 1);
                }
            }
            return null;
        }

        String expand(Stage st, String word) {
            return ShellWords.expand(word, df.escape(), n -> lookup(st, n));
        }

        void metadataStep(Stage st, Instruction in) {
            ObjectNode c = st.config.deepCopy();
            String nop;
            List<String> args = in.args();
            switch (in.keyword()) {
                case "ENV" -> {
                    ArrayNode env = c.get("Env") instanceof ArrayNode a ? a : c.putArray("Env");
                    StringBuilder shown = new StringBuilder();
                    for (String word : args) {
                        String kv = expand(st, word);
                        String key = kv.substring(0, kv.indexOf('='));
                        for (int i = env.size() - 1; i >= 0; i--) {
                            if (env.get(i).asText().startsWith(key + "=")) {
                                env.remove(i);
                            }
                        }
                        env.add(kv);
                        shown.append(' ').append(kv);
                    }
                    nop = " ENV" + shown;
                }
                case "LABEL" -> {
                    ObjectNode labels = c.get("Labels") instanceof ObjectNode o ? o : c.putObject("Labels");
                    StringBuilder shown = new StringBuilder();
                    for (String word : args) {
                        String kv = expand(st, word);
                        int eq = kv.indexOf('=');
                        labels.put(kv.substring(0, eq), kv.substring(eq + 1));
                        shown.append(' ').append(kv);
                    }
                    nop = " LABEL" + shown;
                }
                case "ARG" -> {
                    StringBuilder shown = new StringBuilder();
                    for (String word : args) {
                        String[] kv = expand(st, word).split("=", 2);
                        String value = opts.buildArgs().containsKey(kv[0]) ? opts.buildArgs().get(kv[0])
                                : kv.length > 1 ? kv[1] : globalArgs.get(kv[0]);
                        st.args.put(kv[0], value);
                        unusedArgs.remove(kv[0]);
                        shown.append(' ').append(kv.length > 1 ? kv[0] + "=" + kv[1] : kv[0]);
                    }
                    nop = " ARG" + shown;
                }
                case "CMD" -> {
                    c.set("Cmd", strings(command(st, in)));
                    st.cmdSet = true;
                    nop = " CMD " + Json.string(command(st, in));
                }
                case "ENTRYPOINT" -> {
                    c.set("Entrypoint", strings(command(st, in)));
                    if (!st.cmdSet) {
                        c.putNull("Cmd");
                    }
                    nop = " ENTRYPOINT " + Json.string(command(st, in));
                }
                case "SHELL" -> {
                    c.set("Shell", strings(args));
                    nop = "SHELL " + Json.string(args);
                }
                case "WORKDIR" -> {
                    String dir = expand(st, args.get(0));
                    String current = c.path("WorkingDir").asText("");
                    String joined = dir.startsWith("/") ? dir : (current.isEmpty() ? "/" : current) + "/" + dir;
                    c.put("WorkingDir", "/" + DockerIgnore.clean(joined));
                    nop = "WORKDIR " + c.get("WorkingDir").asText();
                }
                case "USER" -> {
                    c.put("User", expand(st, args.get(0)));
                    nop = "USER " + c.get("User").asText();
                }
                case "EXPOSE" -> {
                    ObjectNode ports = c.get("ExposedPorts") instanceof ObjectNode o ? o : c.putObject("ExposedPorts");
                    List<String> shown = new ArrayList<>();
                    for (String word : args) {
                        for (String port : ports(expand(st, word))) {
                            ports.putObject(port);
                            shown.add(port);
                        }
                    }
                    nop = " EXPOSE " + String.join(" ", shown);
                }
                case "VOLUME" -> {
                    ObjectNode vols = c.get("Volumes") instanceof ObjectNode o ? o : c.putObject("Volumes");
                    List<String> shown = new ArrayList<>();
                    for (String word : args) {
                        String v = in.json() ? word : expand(st, word);
                        if (v.isBlank()) {
                            throw new EngineException.InvalidParameter("VOLUME specified can not be an empty string");
                        }
                        vols.putObject(v);
                        shown.add(v);
                    }
                    nop = " VOLUME " + shown;
                }
                case "STOPSIGNAL" -> {
                    c.put("StopSignal", expand(st, args.get(0)));
                    nop = " STOPSIGNAL " + c.get("StopSignal").asText();
                }
                case "MAINTAINER" -> {
                    st.author = expand(st, args.get(0));
                    nop = " MAINTAINER " + st.author;
                }
                case "ONBUILD" -> {
                    ArrayNode triggers = c.get("OnBuild") instanceof ArrayNode a ? a : c.putArray("OnBuild");
                    triggers.add(args.get(0));
                    nop = " ONBUILD " + args.get(0);
                }
                case "HEALTHCHECK" -> {
                    c.set("Healthcheck", withParentTimings(healthcheck(st, in), c.get("Healthcheck")));
                    nop = " HEALTHCHECK " + Json.string(c.get("Healthcheck"));
                }
                default -> throw new EngineException.InvalidParameter("unknown instruction: " + in.keyword());
            }
            String createdBy = "/bin/sh -c #(nop) " + nop;
            ObjectNode config = c;
            Digest key = key(st, createdBy, config, "");
            commitStep(st, key, createdBy, config, null);
        }

        /** Looks the step up in the cache, or makes it with {@code make}; prints dockerd's lines. */
        void commitStep(Stage st, Digest key, String createdBy, ObjectNode config, ImageService.LayerTar layer) {
            if (!usedCache(st, key)) {
                st.imageId = images.commit(new ImageService.NewImage(st.imageId, config, createdBy, "", st.author), layer);
                cache.put(key, st.imageId);
                say(" ---> " + shortId(st.imageId) + "\n");
            }
            st.config = config;
        }

        /** On a cache hit moves the stage to the cached image and says so, as dockerd does. */
        boolean usedCache(Stage st, Digest key) {
            Optional<String> hit = opts.noCache() ? Optional.empty() : cache.lookup(key, images::exists);
            hit.ifPresent(id -> {
                say(" ---> Using cache\n");
                st.imageId = id;
                say(" ---> " + shortId(id) + "\n");
            });
            return hit.isPresent();
        }

        Digest key(Stage st, String createdBy, ObjectNode config, String extra) {
            ObjectNode k = Json.object();
            k.put("parent", st.imageId);
            k.put("createdBy", createdBy);
            k.set("config", config);
            k.put("author", st.author);
            k.put("extra", extra);
            return Digest.of(Json.bytes(k));
        }

        // ---- RUN

        void runStep(Stage st, Instruction in) {
            List<String> argv = command(st, in);
            Map<String, String> runArgs = new TreeMap<>();
            st.args.forEach((k, v) -> {
                if (v != null && lookupEnv(st, k) == null) {
                    runArgs.put(k, v);
                }
            });
            StringBuilder createdBy = new StringBuilder();
            if (!runArgs.isEmpty()) {
                createdBy.append('|').append(runArgs.size());
                runArgs.forEach((k, v) -> createdBy.append(' ').append(k).append('=').append(v));
                createdBy.append(' ');
            }
            createdBy.append(String.join(" ", argv));
            ObjectNode config = st.config.deepCopy();
            Digest key = key(st, createdBy.toString(), config, "RUN");
            if (usedCache(st, key)) {
                return;
            }
            if (st.imageId.isEmpty()) {
                throw new StepFailed("The command '" + String.join(" ", argv)
                        + "' cannot run: the image has no files (FROM scratch) and so no shell", 1);
            }
            ContainerConfig cfg = new ContainerConfig();
            cfg.Image = st.imageId;
            cfg.Cmd = argv;
            cfg.Entrypoint = List.of("");
            List<String> env = new ArrayList<>();
            st.config.path("Env").forEach(e -> env.add(e.asText()));
            if (env.stream().noneMatch(e -> e.startsWith("PATH="))) {
                env.add(DEFAULT_PATH);
            }
            runArgs.forEach((k, v) -> env.add(k + "=" + v));
            cfg.Env = env;
            cfg.User = st.config.path("User").asText("");
            cfg.WorkingDir = st.config.path("WorkingDir").asText("");
            cfg.Labels = Map.of();
            HostConfig hc = new HostConfig();
            if (opts.network() != null && !opts.network().isEmpty()) {
                hc.NetworkMode = opts.network();
            }
            String id = containers.create(null, cfg, hc).id();
            Path marker = runContainers.resolve(id);
            boolean ok = false;
            try {
                Files.createFile(marker);
                running = id;
                say(" ---> Running in " + id.substring(0, 12) + "\n");
                if (cancelled) {
                    throw new Cancelled();
                }
                containers.start(id);
                if (cancelled) {
                    killQuietly(id);
                }
                streamOutput(id);
                int code = containers.waitFor(id, "not-running").get();
                if (cancelled) {
                    throw new Cancelled();
                }
                if (code != 0) {
                    throw new StepFailed("The command '" + String.join(" ", argv) + "' returned a non-zero code: "
                            + code, code);
                }
                Path upper = snapshots.get(id).upperDir();
                st.imageId = images.commit(new ImageService.NewImage(st.imageId, config, createdBy.toString(), "",
                        st.author), o -> LayerDiffWriter.write(upper, o, ContainerCommit.ENGINE_FILES));
                cache.put(key, st.imageId);
                ok = true;
            } catch (IOException e) {
                throw new EngineException.SystemError("cannot record build container " + id + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException.SystemError("build interrupted");
            } catch (ExecutionException e) {
                throw new EngineException.SystemError("waiting for the RUN container failed: " + e.getMessage(), e);
            } finally {
                running = null;
                // A cancelled build's container goes whatever --rm says, as dockerd's does.
                if (cancelled || (ok ? opts.rm() || opts.forceRm() : opts.forceRm())) {
                    try {
                        containers.remove(id, true, true); // with its anonymous volumes, as dockerd does
                        BuildContext.deleteQuietly(marker);
                        if (ok) {
                            say("Removing intermediate container " + id.substring(0, 12) + "\n");
                        }
                    } catch (RuntimeException e) {
                        log.warn("cannot remove build container {}: {}", id, e.getMessage());
                    }
                } else {
                    BuildContext.deleteQuietly(marker); // kept as the user asked
                }
            }
            say(" ---> " + shortId(st.imageId) + "\n");
        }

        /** Follows the RUN container's log into the build stream; stderr in red, as dockerd does. */
        void streamOutput(String id) {
            Container c = containers.get(id);
            try {
                LogReader.read(Path.of(c.LogPath), new LogOptions(true, true, true, -1, 0, 0, false), () -> {
                    try {
                        return containers.get(id).State.Running;
                    } catch (EngineException e) {
                        return false;
                    }
                }, (stream, time, line) -> {
                    String text = new String(line, StandardCharsets.UTF_8);
                    say(stream == StdStream.STDERR ? "\u001b[91m" + text + "\u001b[0m" : text);
                });
            } catch (IOException e) {
                log.warn("cannot read output of build container {}: {}", id, e.getMessage());
            }
        }

        // ---- COPY / ADD

        void copyStep(Stage st, Instruction in) {
            List<String> words = new ArrayList<>();
            for (String a : in.args()) {
                words.add(expand(st, a));
            }
            String dest = words.get(words.size() - 1);
            List<String> patterns = words.subList(0, words.size() - 1);
            String from = in.flag("from");
            RootfsView fromView = null;
            try {
                Path root = ctx.root();
                DockerIgnore ignore = ctx.ignore();
                Function<String, byte[]> known = ctx::checksum;
                if (from != null && !from.isEmpty()) {
                    String fromRef = expand(st, from);
                    Stage earlier = stageByName(fromRef);
                    String imageId = earlier != null ? earlier.imageId : images.resolve(fromRef).id();
                    fromView = view(imageId);
                    root = fromView.root();
                    ignore = DockerIgnore.none();
                    known = rel -> null;
                }
                List<FileCopy.Source> sources = FileCopy.sources(root, patterns, ignore, in.keyword());
                Digest content = FileCopy.digest(sources, ignore, known);
                boolean single = sources.size() == 1 && !Files.isDirectory(sources.get(0).path());
                String chown = in.flag("chown");
                String chmod = in.flag("chmod");
                String createdBy = "/bin/sh -c #(nop) " + in.keyword() + " " + (single ? "file:" : "dir:") + content.hex()
                        + " in " + dest + " ";
                ObjectNode config = st.config.deepCopy();
                Digest key = key(st, createdBy, config, "chown=" + chown + " chmod=" + chmod + " from=" + from);
                if (usedCache(st, key)) {
                    return;
                }
                Path staging = scratch.resolve("copy-" + UUID.randomUUID());
                try (RootfsView parent = view(st.imageId)) {
                    Files.createDirectories(staging);
                    stageCopy(st, in, sources, dest, patterns.size() > 1 || patterns.get(0).matches(".*[*?\\[].*"),
                            chown, chmod, parent.root(), staging, ignore, from == null || from.isEmpty());
                    commitStep(st, key, createdBy, config, o -> LayerDiffWriter.write(staging, o));
                } catch (IOException e) {
                    throw new EngineException.SystemError(in.keyword() + " failed: " + e.getMessage(), e);
                } finally {
                    BuildContext.deleteQuietly(staging);
                }
            } finally {
                if (fromView != null) {
                    fromView.close();
                }
            }
        }

        RootfsView view(String imageId) {
            if (imageId.isEmpty()) {
                return RootfsView.of(List.of(), scratch);
            }
            Image image = images.resolve(imageId);
            return RootfsView.ofImage(layers, image, scratch);
        }

        void stageCopy(Stage st, Instruction in, List<FileCopy.Source> sources, String dest, boolean many,
                       String chown, String chmod, Path parentRoot, Path staging, DockerIgnore ignore, boolean local)
                throws IOException {
            FileCopy.Ownership own = ownership(chown, chmod, parentRoot);
            String workdir = st.config.path("WorkingDir").asText("");
            String abs = dest.startsWith("/") ? dest : (workdir.isEmpty() ? "/" : workdir) + "/" + dest;
            boolean destIsDir = dest.endsWith("/") || dest.endsWith("/.") || dest.equals(".") || many;
            // The destination as the image sees it: links in the parent image are followed inside it.
            Path real = RootedPath.resolve(parentRoot, abs, true);
            String rel = parentRoot.relativize(real).toString();
            if (!destIsDir && Files.isDirectory(real)) {
                destIsDir = true;
            }
            List<FileTimes> dirTimes = new ArrayList<>();
            Path target = staging;
            String[] parts = rel.isEmpty() ? new String[0] : rel.split("/");
            int dirParts = destIsDir ? parts.length : parts.length - 1;
            for (int i = 0; i < dirParts; i++) {
                target = target.resolve(parts[i]);
                Path existing = parentRoot.resolve(String.join("/", java.util.Arrays.copyOfRange(parts, 0, i + 1)));
                if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(target);
                    if (Files.isDirectory(existing, LinkOption.NOFOLLOW_LINKS)) {
                        Map<String, Object> a = Files.readAttributes(existing, "unix:mode,uid,gid,lastModifiedTime",
                                LinkOption.NOFOLLOW_LINKS);
                        FileCopy.chown(target, new FileCopy.Ownership((int) a.get("uid"), (int) a.get("gid"), null));
                        BuildContext.setMode(target, (int) a.get("mode") & 07777);
                        dirTimes.add(new FileTimes(target, (FileTime) a.get("lastModifiedTime")));
                    } else {
                        FileCopy.chown(target, i == dirParts - 1 ? own : new FileCopy.Ownership(0, 0, null));
                        BuildContext.setMode(target, 0755);
                        // A new destination for one directory takes that directory's mtime; other
                        // new directories get a fixed one, so the layer stays reproducible.
                        boolean fromDir = i == dirParts - 1 && sources.size() == 1
                                && Files.isDirectory(sources.get(0).path(), LinkOption.NOFOLLOW_LINKS);
                        dirTimes.add(new FileTimes(target, fromDir ? Files.getLastModifiedTime(sources.get(0).path(),
                                LinkOption.NOFOLLOW_LINKS) : FileTime.fromMillis(0)));
                    }
                }
            }
            for (FileCopy.Source s : sources) {
                boolean dir = Files.isDirectory(s.path(), LinkOption.NOFOLLOW_LINKS);
                if (in.keyword().equals("ADD") && local && !dir && FileCopy.isArchive(s.path())) {
                    try (InputStream tar = BuildContext.decompressed(Files.newInputStream(s.path()))) {
                        Path into = destIsDir ? target : target.resolve(parts[parts.length - 1]);
                        Files.createDirectories(into);
                        ContextTree.untar(tar, into);
                    }
                } else if (dir) {
                    if (!destIsDir) {
                        target = target.resolve(parts[parts.length - 1]);
                        Files.createDirectories(target);
                        FileCopy.chown(target, own);
                        destIsDir = true;
                    }
                    FileCopy.stageContents(s, target, own, ignore);
                } else {
                    Path file = destIsDir ? target.resolve(s.path().getFileName().toString())
                            : target.resolve(parts[parts.length - 1]);
                    FileCopy.stage(s, file, own, ignore);
                }
            }
            for (int i = dirTimes.size() - 1; i >= 0; i--) {
                BuildContext.setTimes(dirTimes.get(i).path(), dirTimes.get(i).mtime());
            }
        }

        FileCopy.Ownership ownership(String chown, String chmod, Path parentRoot) {
            Integer mode = null;
            if (chmod != null && !chmod.isEmpty()) {
                try {
                    mode = Integer.parseInt(chmod, 8);
                } catch (NumberFormatException e) {
                    throw new EngineException.InvalidParameter("invalid chmod parameter: " + chmod);
                }
            }
            if (chown == null || chown.isEmpty()) {
                return new FileCopy.Ownership(0, 0, mode);
            }
            String spec = chown.contains(":") ? chown : chown + ":" + chown;
            String user = spec.substring(0, spec.indexOf(':'));
            String group = spec.substring(spec.indexOf(':') + 1);
            UserResolver users = new UserResolver(parentRoot);
            int uid = users.resolve(user, List.of()).uid();
            int gid;
            if (group.matches("\\d+")) {
                gid = Integer.parseInt(group);
            } else if (!chown.contains(":")) {
                gid = uid;
            } else {
                gid = users.resolve("0:" + group, List.of()).gid();
            }
            return new FileCopy.Ownership(uid, gid, mode);
        }

        // ---- helpers

        List<String> command(Stage st, Instruction in) {
            if (in.json()) {
                return in.args();
            }
            List<String> shell = new ArrayList<>();
            JsonNode s = st.config.get("Shell");
            if (s != null && s.isArray() && s.size() > 0) {
                s.forEach(x -> shell.add(x.asText()));
            } else {
                shell.addAll(DEFAULT_SHELL);
            }
            shell.add(in.args().isEmpty() ? "" : in.args().get(0));
            return shell;
        }

        ObjectNode healthcheck(Stage st, Instruction in) {
            ObjectNode h = Json.object();
            String rest = in.args().get(0);
            String[] split = rest.split("\\s+", 2);
            String kind = split[0].toUpperCase(Locale.ROOT);
            if (kind.equals("NONE")) {
                h.set("Test", strings(List.of("NONE")));
                return h;
            }
            if (!kind.equals("CMD") || split.length < 2) {
                throw new EngineException.InvalidParameter("dockerfile parse error line " + in.line()
                        + ": Unknown type \"" + split[0] + "\" in HEALTHCHECK (try CMD)");
            }
            Instruction cmd = DockerfileParser.parseLine("CMD " + split[1], in.line(), df.escape());
            List<String> test = new ArrayList<>();
            if (cmd.json()) {
                test.add("CMD");
                test.addAll(cmd.args());
            } else {
                test.add("CMD-SHELL");
                test.add(cmd.args().get(0));
            }
            h.set("Test", strings(test));
            putDuration(h, "Interval", in.flag("interval"));
            putDuration(h, "Timeout", in.flag("timeout"));
            putDuration(h, "StartPeriod", in.flag("start-period"));
            putDuration(h, "StartInterval", in.flag("start-interval"));
            if (in.flag("retries") != null && !in.flag("retries").isEmpty()) {
                h.put("Retries", Integer.parseInt(in.flag("retries")));
            }
            return h;
        }
    }

    private record FileTimes(Path path, FileTime mtime) {
    }

    /**
     * A HEALTHCHECK's timings and retries not given take the parent image's, as dockerd's do
     * (it merges the image's config into each step's container config).
     */
    private static ObjectNode withParentTimings(ObjectNode health, JsonNode parent) {
        ObjectNode merged = Json.object();
        merged.set("Test", health.get("Test"));
        for (String field : List.of("Interval", "Timeout", "StartPeriod", "StartInterval", "Retries")) {
            JsonNode own = health.get(field);
            JsonNode inherited = parent == null ? null : parent.get(field);
            if (own != null && own.asLong() != 0) {
                merged.set(field, own);
            } else if (inherited != null && inherited.asLong() != 0) {
                merged.set(field, inherited);
            }
        }
        return merged;
    }

    private static void putDuration(ObjectNode h, String field, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        Matcher m = DURATION.matcher(value);
        double nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            end = m.end();
        }
        if (end != value.length()) {
            throw new EngineException.InvalidParameter("time: invalid duration \"" + value + "\"");
        }
        h.put(field, (long) nanos);
    }

    private static List<String> ports(String spec) {
        String proto = "tcp";
        String p = spec;
        int slash = spec.indexOf('/');
        if (slash >= 0) {
            proto = spec.substring(slash + 1).toLowerCase(Locale.ROOT);
            p = spec.substring(0, slash);
        }
        List<String> out = new ArrayList<>();
        String[] range = p.split("-");
        try {
            int lo = Integer.parseInt(range[0]);
            int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
            for (int i = lo; i <= hi; i++) {
                out.add(i + "/" + proto);
            }
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidParameter("invalid containerPort: " + p);
        }
        return out;
    }

    private static String quote(String v) {
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = Json.array();
        values.forEach(a::add);
        return a;
    }


    private static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
