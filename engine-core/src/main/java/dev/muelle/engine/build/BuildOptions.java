package dev.muelle.engine.build;

import java.util.List;
import java.util.Map;

/**
 * The {@code POST /build} parameters the builder acts on.
 *
 * @param buildArgs  {@code --build-arg} values; a null value means "declared but unset"
 * @param labels     {@code --label}s, added as a last {@code LABEL} step as dockerd does
 * @param target     the stage to stop after, or null for the last one
 * @param network    the RUN containers' network mode, or null for the default
 * @param rm         remove RUN containers after a successful step
 * @param forceRm    remove them even when the step failed
 */
public record BuildOptions(String dockerfile, List<String> tags, Map<String, String> buildArgs,
                           Map<String, String> labels, String target, boolean noCache, boolean pull, String network,
                           boolean quiet, boolean rm, boolean forceRm) {
}
