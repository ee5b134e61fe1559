package dev.muelle.engine.volume;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * A volume as {@code docker volume inspect} shows it. {@code Options} are the local driver's
 * {@code type}/{@code device}/{@code o} (null when none were given, as dockerd shows);
 * {@code Labels} holds {@link #ANONYMOUS_LABEL} for volumes made from {@code -v /path} or an
 * image's VOLUME. Immutable: a volume's settings never change after create.
 */
public record Volume(@JsonProperty("CreatedAt") String createdAt,
                     @JsonProperty("Driver") String driver,
                     @JsonProperty("Labels") Map<String, String> labels,
                     @JsonProperty("Mountpoint") String mountpoint,
                     @JsonProperty("Name") String name,
                     @JsonProperty("Options") Map<String, String> options,
                     @JsonProperty("Scope") String scope) {

    /** Docker 23+ marks anonymous volumes so prune can tell them apart. */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";

    @JsonIgnore
    public boolean anonymous() {
        return labels != null && labels.containsKey(ANONYMOUS_LABEL);
    }
}
