package dev.muelle.engine.volume;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.network.LegacyMapper;
import dev.muelle.engine.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Volume types write the same bytes as the mapper wrote from their former annotations (copied here). */
class VolumeJsonTest {

    private static final ObjectMapper OLD = LegacyMapper.OLD;

    record OldVolume(@JsonProperty("CreatedAt") String createdAt, @JsonProperty("Driver") String driver,
                     @JsonProperty("Labels") Map<String, String> labels, @JsonProperty("Mountpoint") String mountpoint,
                     @JsonProperty("Name") String name, @JsonProperty("Options") Map<String, String> options,
                     @JsonProperty("Scope") String scope) {
        static OldVolume of(Volume v) {
            return new OldVolume(v.createdAt(), v.driver(), v.labels(), v.mountpoint(), v.name(), v.options(), v.scope());
        }

        @JsonIgnore
        public boolean anonymous() {
            return false;
        }
    }

    record OldPruned(@JsonProperty("VolumesDeleted") List<String> volumesDeleted,
                     @JsonProperty("SpaceReclaimed") long spaceReclaimed) {
    }

    record OldDiskUsage(@JsonUnwrapped OldVolume volume, @JsonProperty("UsageData") Map<String, Long> usageData) {
    }

    record OldPathStat(@JsonProperty("name") String name, @JsonProperty("size") long size,
                       @JsonProperty("mode") long mode, @JsonProperty("mtime") String mtime,
                       @JsonProperty("linkTarget") String linkTarget) {
    }

    enum OldType {
        FILE, SYMLINK;

        @JsonValue
        public String word() {
            return name().toLowerCase();
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OldFileInfo(String name, OldType type, long size, int mode, int uid, int gid, @JsonIgnore Instant mtime,
                       String linkTarget, @JsonIgnore long inode, @JsonIgnore long device, @JsonIgnore int links) {
        static OldFileInfo of(FileInfo f) {
            return new OldFileInfo(f.name(), f.type() == null ? null : OldType.valueOf(f.type().name()), f.size(),
                    f.mode(), f.uid(), f.gid(), f.mtime(), f.linkTarget(), f.inode(), f.device(), f.links());
        }

        @JsonProperty("mtime")
        public String mtimeText() {
            return mtime.toString();
        }

        @JsonProperty("etag")
        public String etag() {
            return "\"" + Long.toHexString(inode) + "-" + Long.toHexString(size) + "-"
                    + Long.toHexString(mtime.getEpochSecond()) + "." + mtime.getNano() + "\"";
        }
    }

    private static Volume volume(Map<String, String> options) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Volume.ANONYMOUS_LABEL, "");
        labels.put("z", "last");
        return new Volume("2026-11-29T03:00:00Z", "local", labels, "/var/lib/muelle/volumes/v/_data", "v", options,
                "local");
    }

    @Test
    void volume() throws Exception {
        for (Volume v : List.of(volume(Map.of("type", "tmpfs")), volume(null),
                new Volume(null, null, null, null, null, null, null))) {
            assertEquals(OLD.writeValueAsString(OldVolume.of(v)), Json.string(v));
        }
    }

    @Test
    void pruneAndDiskUsage() throws Exception {
        assertEquals(OLD.writeValueAsString(new OldPruned(List.of("a", "b"), 12345678901L)),
                Json.string(new VolumeService.Pruned(List.of("a", "b"), 12345678901L)));
        Map<String, Long> usage = new LinkedHashMap<>();
        usage.put("Size", 4096L);
        usage.put("RefCount", 2L);
        Volume v = volume(Map.of("o", "size=1m"));
        assertEquals(OLD.writeValueAsString(List.of(new OldDiskUsage(OldVolume.of(v), usage))),
                Json.string(List.of(new VolumeService.DiskUsage(v, usage))));
    }

    @Test
    void pathStatHeader() throws Exception {
        ContainerArchive.PathStat s = new ContainerArchive.PathStat("naïve \"file\"", 42, (1L << 27) | 0777,
                "2026-11-29T03:00:00.123456789Z", "/target");
        OldPathStat old = new OldPathStat(s.name(), s.size(), s.mode(), s.mtime(), s.linkTarget());
        assertEquals(Base64.getEncoder().encodeToString(OLD.writeValueAsBytes(old)), s.header());
    }

    @Test
    void fileInfo() throws Exception {
        Instant t = Instant.parse("2026-11-29T03:00:00.123456789Z");
        FileInfo link = new FileInfo("l", FileInfo.Type.SYMLINK, 7, 0777, 1000, 100, t, "../x", 12345, 66, 1);
        FileInfo file = new FileInfo("f", FileInfo.Type.FILE, 4096, 04755, 0, 0, t, null, 99, 66, 2);
        FileInfo bare = new FileInfo(null, null, 0, 0, 0, 0, t, null, 0, 0, 0);
        for (FileInfo f : List.of(link, file, bare)) {
            assertEquals(OLD.writeValueAsString(OldFileInfo.of(f)), Json.string(f));
        }
    }

    /** Rows written by the mapper read back; new rows hold the bytes the mapper wrote. */
    @Test
    void storedRows(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(dir.resolve("m.db"))) {
            Volume v = volume(Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=1m"));
            db.update("INSERT INTO volumes(name, driver, created, labels, options) VALUES (?, ?, ?, ?, ?)", "old",
                    v.driver(), v.createdAt(), OLD.writeValueAsString(v.labels()), OLD.writeValueAsString(null));
            VolumeStore store = new VolumeStore(db, dir);
            Volume read = store.find("old").orElseThrow();
            assertEquals(v.labels(), read.labels());
            assertEquals(null, read.options());
            store.insert(new Volume(v.createdAt(), v.driver(), v.labels(), "", "new", v.options(), "local"));
            assertEquals(List.of(OLD.writeValueAsString(v.labels()) + " " + OLD.writeValueAsString(v.options())),
                    db.query("SELECT labels || ' ' || options FROM volumes WHERE name = 'new'", rs -> rs.getString(1)));
            assertEquals(v.options(), store.find("new").orElseThrow().options());
        }
    }
}
