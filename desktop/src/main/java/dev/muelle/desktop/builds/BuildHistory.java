package dev.muelle.desktop.builds;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Keeps the last {@value #KEPT} builds between runs in a small JSON file (newest first), by default
 * {@code $XDG_CONFIG_HOME/muelle/builds.json} or {@code ~/.config/muelle/builds.json}. A missing or
 * unreadable file is an empty history: losing it costs the user nothing but the list.
 */
public final class BuildHistory {

    static final int KEPT = 50;
    private static final Logger LOG = LoggerFactory.getLogger(BuildHistory.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;

    /** {@code file} null keeps the history for this run only. */
    public BuildHistory(Path file) {
        this.file = file;
    }

    public static BuildHistory forUser(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config");
        return new BuildHistory(config.resolve("muelle").resolve("builds.json"));
    }

    public List<BuildRecord> load() {
        if (file == null || !Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return JSON.readValue(file.toFile(), new TypeReference<List<BuildRecord>>() { });
        } catch (IOException e) {
            LOG.warn("Ignoring the build history in {}: {}", file, e.getMessage());
            return List.of();
        }
    }

    /** Writes the newest {@value #KEPT} of {@code records} (newest first) atomically. */
    public void save(List<BuildRecord> records) throws IOException {
        if (file == null) {
            return;
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), records.subList(0, Math.min(KEPT, records.size())));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
