package dev.muelle.engine.network;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;

/**
 * A container's membership of one network. It exists from {@code docker create} (or
 * {@code network connect}) until the container is removed (or disconnected); the address part
 * ({@code ip}, {@code mac}, {@code endpointId}, {@code interfaceName}) is set only while the
 * container runs, as in Docker, where a stopped container keeps its networks but no addresses.
 *
 * @param aliases     names the user gave with {@code --network-alias}, resolvable on this network
 * @param requestedIp the {@code --ip} the user asked for, or null for the next free address
 */
public record Endpoint(
        String containerId,
        String networkId,
        String containerName,
        List<String> aliases,
        String requestedIp,
        String ip,
        String mac,
        String endpointId,
        String interfaceName) {

    public Endpoint {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        ip = ip == null ? "" : ip;
        mac = mac == null ? "" : mac;
        endpointId = endpointId == null ? "" : endpointId;
        interfaceName = interfaceName == null ? "" : interfaceName;
    }

    static Endpoint member(String containerId, String networkId, String containerName, List<String> aliases,
                           String requestedIp) {
        return new Endpoint(containerId, networkId, containerName, aliases, requestedIp, "", "", "", "");
    }

    @JsonIgnore
    public boolean active() {
        return !ip.isEmpty();
    }

    Endpoint withAddress(String containerName, String ip, String mac, String endpointId, String interfaceName) {
        return new Endpoint(containerId, networkId, containerName, aliases, requestedIp, ip, mac, endpointId,
                interfaceName);
    }

    Endpoint released() {
        return new Endpoint(containerId, networkId, containerName, aliases, requestedIp, "", "", "", "");
    }
}
