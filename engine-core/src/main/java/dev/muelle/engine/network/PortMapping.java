package dev.muelle.engine.network;

/**
 * One published port: traffic to {@code hostIp:hostPort} (empty host IP: every address of the
 * host) goes to the container's {@code containerPort}. {@code hostPort} 0 in a request means
 * "any free port"; an allocated mapping always has a real one.
 *
 * @param protocol "tcp", "udp" or "sctp"
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {

    public PortMapping {
        hostIp = hostIp == null ? "" : hostIp;
        protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol;
    }

    /** The address Docker shows: 0.0.0.0 for all of them. */
    public String shownHostIp() {
        return hostIp.isEmpty() ? "0.0.0.0" : hostIp;
    }

    PortMapping withHostPort(int port) {
        return new PortMapping(hostIp, port, containerPort, protocol);
    }

    /** Docker's key in {@code NetworkSettings.Ports}, e.g. {@code 80/tcp}. */
    public String containerKey() {
        return containerPort + "/" + protocol;
    }
}
