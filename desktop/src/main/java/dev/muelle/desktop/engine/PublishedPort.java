package dev.muelle.desktop.engine;

/**
 * A container port, published on the host when {@code hostPort} is not null.
 *
 * @param hostIp the host address the port is bound to ("0.0.0.0", "::" or a specific address)
 * @param protocol "tcp", "udp" or "sctp"
 */
public record PublishedPort(String hostIp, int containerPort, Integer hostPort, String protocol) {

    public boolean published() {
        return hostPort != null && hostPort > 0;
    }

    /** A browser URL for a published TCP port; wildcard addresses open on localhost. */
    public String url() {
        if (!published() || !"tcp".equals(protocol)) {
            return null;
        }
        String host = hostIp == null || hostIp.isEmpty() || hostIp.equals("0.0.0.0") || hostIp.equals("::")
                ? "localhost" : hostIp.contains(":") ? "[" + hostIp + "]" : hostIp;
        return "http://" + host + ":" + hostPort;
    }

    /** As {@code docker ps} prints it: {@code 0.0.0.0:8080->80/tcp} or {@code 80/tcp}. */
    public String label() {
        String inside = containerPort + "/" + protocol;
        if (!published()) {
            return inside;
        }
        String ip = hostIp == null || hostIp.isEmpty() ? "0.0.0.0" : hostIp;
        return ip + ":" + hostPort + "->" + inside;
    }
}
