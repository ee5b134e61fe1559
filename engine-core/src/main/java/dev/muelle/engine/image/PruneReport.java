package dev.muelle.engine.image;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** {@code POST /images/prune}'s answer: the untag/delete records and the bytes of layers removed. */
public record PruneReport(@JsonProperty("ImagesDeleted") List<Map<String, String>> imagesDeleted,
                          @JsonProperty("SpaceReclaimed") long spaceReclaimed) {
}
