package dev.muelle.engine.container;

import dev.muelle.engine.errors.EngineException;

import java.util.regex.Pattern;

/** Checks on create/update settings, with dockerd's messages. */
final class Validation {

    static final Pattern NAME = Pattern.compile("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    private static final long MIN_MEMORY = 6L * 1024 * 1024;

    private Validation() {
    }

    static void name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new EngineException.InvalidParameter("Invalid container name (" + name
                    + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
    }

    static void hostConfig(HostConfig hc, int hostCpus) {
        resources(hc, hostCpus, false);
        HostConfig.RestartPolicy rp = hc.restartPolicy();
        restartPolicy(rp);
        if (hc.autoRemove() && !rp.name().equals("no")) {
            throw new EngineException.InvalidParameter("can't create 'AutoRemove' container with restart policy");
        }
        if (hc.LogConfig != null && hc.LogConfig.Type != null && !hc.LogConfig.Type.isEmpty()
                && !hc.LogConfig.Type.equals("json-file") && !hc.LogConfig.Type.equals("none")) {
            throw new EngineException.InvalidParameter("failed to create container: logger: no log driver named '"
                    + hc.LogConfig.Type + "' is registered");
        }
    }

    /** dockerd's checks on Config.Healthcheck: durations of at least 1ms (0 = default), retries not negative. */
    static void healthcheck(com.fasterxml.jackson.databind.JsonNode hc) {
        if (hc == null || !hc.isObject()) {
            return;
        }
        for (String field : java.util.List.of("Interval", "Timeout", "StartPeriod")) {
            long nanos = hc.path(field).asLong(0);
            if (nanos != 0 && nanos < 1_000_000) {
                throw new EngineException.InvalidParameter(field + " in Healthcheck cannot be less than 1ms");
            }
        }
        if (hc.path("Retries").asLong(0) < 0) {
            throw new EngineException.InvalidParameter("Retries in Healthcheck cannot be negative");
        }
    }

    /** {@code docker update}'s checks on the request alone, before it is merged into the container's. */
    static void update(HostConfig hc, int hostCpus) {
        resources(hc, hostCpus, true);
        if (hc.RestartPolicy != null && hc.RestartPolicy.Name != null && !hc.RestartPolicy.Name.isEmpty()) {
            restartPolicy(hc.RestartPolicy);
        }
    }

    private static void resources(HostConfig hc, int hostCpus, boolean update) {
        long memory = hc.memory();
        if (memory < 0) {
            throw new EngineException.InvalidParameter("invalid memory limit: " + memory);
        }
        if (memory > 0 && memory < MIN_MEMORY) {
            throw new EngineException.InvalidParameter("Minimum memory limit allowed is 6MB");
        }
        if (hc.MemorySwap != null && hc.MemorySwap > 0) {
            if (memory == 0 && !update) {
                throw new EngineException.InvalidParameter(
                        "You should always set the Memory limit when using Memoryswap limit, see usage");
            }
            if (memory > 0 && hc.MemorySwap < memory) {
                throw new EngineException.InvalidParameter(
                        "Minimum memoryswap limit should be larger than memory limit, see usage");
            }
        }
        if (hc.NanoCpus != null && hc.NanoCpus != 0) {
            if (hc.CpuQuota != null && hc.CpuQuota > 0 || hc.CpuPeriod != null && hc.CpuPeriod > 0) {
                throw new EngineException.InvalidParameter(
                        "Conflicting options: Nano CPUs and CPU Period cannot both be set");
            }
            if (hc.NanoCpus < 0 || hc.NanoCpus > (long) hostCpus * 1_000_000_000L) {
                throw new EngineException.InvalidParameter("Range of CPUs is from 0.01 to "
                        + hostCpus + ".00, as there are only " + hostCpus + " CPUs available");
            }
        }
        if (hc.CpuPeriod != null && hc.CpuPeriod != 0 && (hc.CpuPeriod < 1000 || hc.CpuPeriod > 1_000_000)) {
            throw new EngineException.InvalidParameter("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (hc.CpuQuota != null && hc.CpuQuota > 0 && hc.CpuQuota < 1000) {
            throw new EngineException.InvalidParameter("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
        if (hc.PidsLimit != null && hc.PidsLimit < -1) {
            throw new EngineException.InvalidParameter("invalid PidsLimit: " + hc.PidsLimit);
        }
    }

    private static void restartPolicy(HostConfig.RestartPolicy rp) {
        switch (rp.name()) {
            case "no", "always", "unless-stopped" -> {
                if (rp.maxRetries() != 0) {
                    throw new EngineException.InvalidParameter("invalid restart policy: maximum retry count can only be used with 'on-failure'");
                }
            }
            case "on-failure" -> {
                if (rp.maxRetries() < 0) {
                    throw new EngineException.InvalidParameter("invalid restart policy: maximum retry count cannot be negative");
                }
            }
            default -> throw new EngineException.InvalidParameter("invalid restart policy: unknown policy '" + rp.Name
                    + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
    }
}
