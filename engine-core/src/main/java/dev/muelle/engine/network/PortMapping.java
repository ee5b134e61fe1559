package dev.muelle.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonRead;

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

    /** As stored in a {@link Sandbox} row: the components by name, in order. */
    JsonNode toJson() {
        return Json.object().put("hostIp", hostIp).put("hostPort", hostPort).put("containerPort", containerPort)
                .put("protocol", protocol);
    }

    static PortMapping from(JsonRead r) {
        return new PortMapping(r.string("hostIp"), r.int32("hostPort", 0), r.int32("containerPort", 0),
                r.string("protocol"));
    }
}
