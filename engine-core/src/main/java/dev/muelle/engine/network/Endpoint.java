package dev.muelle.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonRead;
import dev.muelle.engine.json.JsonValue;

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
        String interfaceName) implements JsonValue {

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

    /** The stored row: the components by name, in order, nulls written as null. */
    @Override
    public JsonNode toJson() {
        ObjectNode o = Json.object().put("containerId", containerId).put("networkId", networkId)
                .put("containerName", containerName);
        o.set("aliases", Json.node(aliases));
        return o.put("requestedIp", requestedIp).put("ip", ip).put("mac", mac).put("endpointId", endpointId)
                .put("interfaceName", interfaceName);
    }

    /** Reads a stored row back. */
    static Endpoint from(JsonNode row) {
        JsonRead r = JsonRead.of(row, "Endpoint");
        return new Endpoint(r.string("containerId"), r.string("networkId"), r.string("containerName"),
                r.strings("aliases"), r.string("requestedIp"), r.string("ip"), r.string("mac"),
                r.string("endpointId"), r.string("interfaceName"));
    }
}
