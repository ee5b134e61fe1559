package dev.muelle.engine.container;

import java.util.ArrayList;
import java.util.List;

/**
 * Docker's {@code State.Health}: the outcome of a container's HEALTHCHECK probes. Status is
 * starting, healthy or unhealthy; FailingStreak counts consecutive failed probes (those within the
 * start period excepted); Log holds the last {@link #MAX_LOG} results, oldest first.
 */
@SuppressWarnings("checkstyle:MemberName")
public final class Health {
    public static final String STARTING = "starting";
    public static final String HEALTHY = "healthy";
    public static final String UNHEALTHY = "unhealthy";
    static final int MAX_LOG = 5;

    public String Status = STARTING;
    public int FailingStreak;
    public List<Result> Log = new ArrayList<>();

    /** One probe: when it ran, its exit code (-1 when it could not run or timed out) and its output. */
    public static final class Result {
        public String Start;
        public String End;
        public int ExitCode;
        public String Output;

        Result() {
        }

        Result(String start, String end, int exitCode, String output) {
            this.Start = start;
            this.End = end;
            this.ExitCode = exitCode;
            this.Output = output;
        }
    }

    /** What {@code docker ps} appends to "Up 3 seconds": "health: starting", "healthy", "unhealthy". */
    String summary() {
        return STARTING.equals(Status) ? "health: starting" : Status;
    }
}
