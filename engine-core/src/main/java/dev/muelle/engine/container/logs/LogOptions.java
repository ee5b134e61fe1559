package dev.muelle.engine.container.logs;

/**
 * What a client asked of a container's log, in Docker's terms ({@code GET /containers/{id}/logs}).
 *
 * @param tail       how many of the last lines to send before following; -1 for all
 * @param sinceNanos only lines at or after this instant (epoch nanoseconds); 0 for no bound
 * @param untilNanos only lines at or before this instant (epoch nanoseconds); 0 for no bound
 * @param timestamps prefix each line with its RFC 3339 timestamp and a space, as dockerd does
 */
public record LogOptions(boolean stdout, boolean stderr, boolean follow, int tail, long sinceNanos, long untilNanos,
                         boolean timestamps) {

    /** Every line of both streams, once. */
    public static LogOptions all() {
        return new LogOptions(true, true, false, -1, 0, 0, false);
    }
}
