package dev.muelle.engine.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image API answers that now write themselves give the same bytes Jackson's data binding
 * wrote from the old annotated records (copied below as they were).
 */
class ImageJsonTest {

    /** Configured as the retired {@code Json.MAPPER}. */
    private static final ObjectMapper OLD = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY, true)
            .configure(DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT, true)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    record OldImageSummary(
            @JsonProperty("Id") String id,
            @JsonProperty("ParentId") String parentId,
            @JsonProperty("RepoTags") List<String> repoTags,
            @JsonProperty("RepoDigests") List<String> repoDigests,
            @JsonProperty("Created") long created,
            @JsonProperty("Size") long size,
            @JsonProperty("SharedSize") long sharedSize,
            @JsonProperty("VirtualSize") long virtualSize,
            @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("Containers") long containers) {
    }

    record OldPruneReport(@JsonProperty("ImagesDeleted") List<Map<String, String>> imagesDeleted,
                          @JsonProperty("SpaceReclaimed") long spaceReclaimed) {
    }

    record OldDiskUsage(@JsonProperty("LayersSize") long layersSize, @JsonProperty("Images") List<OldImageSummary> images) {
    }

    private static final Map<String, String> LABELS = labels();

    private static Map<String, String> labels() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("org.opencontainers.image.title", "app \"ü\" <&>");
        m.put("b", "");
        return m;
    }

    private static ImageSummary summary() {
        return new ImageSummary("sha256:" + "a".repeat(64), "sha256:" + "b".repeat(64), List.of("app:1", "app:latest"),
                List.of("app@sha256:" + "c".repeat(64)), 1_700_000_000L, 5_000_000_000L, 42L, 5_000_000_000L, LABELS, 3L);
    }

    private static OldImageSummary old(ImageSummary s) {
        return new OldImageSummary(s.id(), s.parentId(), s.repoTags(), s.repoDigests(), s.created(), s.size(),
                s.sharedSize(), s.virtualSize(), s.labels(), s.containers());
    }

    @Test
    void imageSummaryWritesAsBefore() throws Exception {
        ImageSummary s = summary();
        byte[] now = Json.bytes(s);
        assertThat(new String(now, StandardCharsets.UTF_8)).isEqualTo(OLD.writeValueAsString(old(s)));
        assertThat(Json.bytes(Json.parse(now))).isEqualTo(now); // reads back to the same document
    }

    @Test
    void nullsAreWrittenAsNullAsBefore() throws Exception {
        ImageSummary s = new ImageSummary(null, null, null, null, 0, 0, 0, 0, null, 0);
        assertThat(Json.string(s)).isEqualTo(OLD.writeValueAsString(old(s)));
        PruneReport p = new PruneReport(null, 0);
        assertThat(Json.string(p)).isEqualTo(OLD.writeValueAsString(new OldPruneReport(null, 0)));
        DiskUsage d = new DiskUsage(0, null);
        assertThat(Json.string(d)).isEqualTo(OLD.writeValueAsString(new OldDiskUsage(0, null)));
    }

    @Test
    void pruneReportWritesAsBefore() throws Exception {
        List<Map<String, String>> deleted = List.of(Map.of("Untagged", "app:1"), Map.of("Deleted", "sha256:" + "d".repeat(64)));
        PruneReport p = new PruneReport(deleted, 123_456_789_012L);
        byte[] now = Json.bytes(p);
        assertThat(new String(now, StandardCharsets.UTF_8)).isEqualTo(OLD.writeValueAsString(new OldPruneReport(deleted, 123_456_789_012L)));
        assertThat(Json.bytes(Json.parse(now))).isEqualTo(now); // reads back to the same document
    }

    @Test
    void diskUsageWritesAsBefore() throws Exception {
        DiskUsage d = new DiskUsage(9_876_543_210L, List.of(summary(), summary()));
        byte[] now = Json.bytes(d);
        assertThat(new String(now, StandardCharsets.UTF_8)).isEqualTo(
                OLD.writeValueAsString(new OldDiskUsage(9_876_543_210L, List.of(old(summary()), old(summary())))));
        assertThat(Json.bytes(Json.parse(now))).isEqualTo(now); // reads back to the same document
        // As the system handler puts it in its df map.
        Map<String, Object> df = new LinkedHashMap<>();
        df.put("LayersSize", d.layersSize());
        df.put("Images", d.images());
        Map<String, Object> oldDf = new LinkedHashMap<>();
        oldDf.put("LayersSize", d.layersSize());
        oldDf.put("Images", List.of(old(summary()), old(summary())));
        assertThat(Json.string(df)).isEqualTo(OLD.writeValueAsString(oldDf));
    }

    @Test
    void imageTreesAndBuildHistoryStringsWriteAsBefore() throws Exception {
        // Builder's "CMD [...]" history text and ImageService's stored configs: compact JSON as before.
        List<String> cmd = List.of("sh", "-c", "echo \"hi\" ü\t</script>");
        assertThat(Json.string(cmd)).isEqualTo(OLD.valueToTree(cmd).toString());
        ObjectNode hc = Json.object();
        hc.putArray("Test").add("CMD-SHELL").add("curl -f http://localhost/ || exit 1");
        hc.put("Interval", 30_000_000_000L);
        hc.put("Retries", 3);
        hc.putNull("StartPeriod");
        hc.put("Ratio", 1.5);
        assertThat(Json.string(hc)).isEqualTo(hc.toString());
        assertThat(Json.bytes(hc)).isEqualTo(OLD.writeValueAsBytes(hc));
        assertThat(Json.pretty(hc)).isEqualTo(OLD.writerWithDefaultPrettyPrinter().writeValueAsBytes(hc));
    }

    @Test
    void imageConfigBytesKeepCharactersOutsideTheBmpRawAsBefore() throws Exception {
        JsonNode config = Json.parse("{\"config\":{\"Labels\":{\"mood\":\"\ud83d\ude00 <ok>\"}}}");
        assertThat(ImageService.toBytes(config)).isEqualTo(OLD.writeValueAsString(config).getBytes(StandardCharsets.UTF_8));
    }
}
