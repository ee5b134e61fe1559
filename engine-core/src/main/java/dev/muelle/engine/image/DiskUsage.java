package dev.muelle.engine.image;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The images part of {@code GET /system/df}: every layer counted once in {@code layersSize};
 * per image, {@code SharedSize} is what it shares with other images and {@code Containers} how
 * many containers use it.
 */
public record DiskUsage(@JsonProperty("LayersSize") long layersSize, @JsonProperty("Images") List<ImageSummary> images) {
}
