package dev.muelle.engine.container;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Docker's {@code ContainerState}. Status is one of created, running, paused, restarting,
 * removing, exited, dead. Times are RFC 3339 with nanoseconds; Docker's zero time is
 * {@code 0001-01-01T00:00:00Z}.
 */
@SuppressWarnings("checkstyle:MemberName")
public final class ContainerState {
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    public String Status = "created";
    public boolean Running;
    public boolean Paused;
    public boolean Restarting;
    public boolean OOMKilled;
    public boolean Dead;
    public int Pid;
    public int ExitCode;
    public String Error = "";
    public String StartedAt = ZERO_TIME;
    public String FinishedAt = ZERO_TIME;
    /** Present once a container with a healthcheck has started; absent (not null) otherwise, as in Docker. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Health Health;
}
