package dev.muelle.desktop.engine;

import java.util.List;

/**
 * Everything the Run dialog can ask of {@code POST /containers/create} plus start, as plain values.
 * The Run dialog's view-model builds it only from input that passed validation.
 *
 * @param name the container name, or null to let the engine pick one
 * @param command the command and its arguments, or empty for the image's default
 * @param environment {@code KEY=value} entries
 * @param memoryBytes the memory limit in bytes, 0 for none
 * @param nanoCpus the CPU limit in billionths of a CPU, 0 for none
 * @param restartPolicy "no", "always", "unless-stopped" or "on-failure"
 * @param network the network to join, or null for the engine's default
 */
public record ContainerSpec(String image, String name, List<String> command, List<PortMapping> ports,
                            List<Mount> mounts, List<String> environment, long memoryBytes, long nanoCpus,
                            String restartPolicy, String network, boolean interactive, boolean tty) {

    public ContainerSpec {
        command = List.copyOf(command);
        ports = List.copyOf(ports);
        mounts = List.copyOf(mounts);
        environment = List.copyOf(environment);
    }

    /** {@code -p hostPort:containerPort/protocol}; hostPort 0 lets the engine choose a free port. */
    public record PortMapping(int hostPort, int containerPort, String protocol) {
    }

    /**
     * {@code -v source:target[:ro]}: a named volume when {@code source} has no slash, else a host folder.
     */
    public record Mount(String source, String target, boolean readOnly) {

        public boolean namedVolume() {
            return !source.startsWith("/");
        }
    }
}
