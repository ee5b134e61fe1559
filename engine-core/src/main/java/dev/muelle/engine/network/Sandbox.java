package dev.muelle.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonRead;
import dev.muelle.engine.json.JsonValue;

import java.util.List;

/**
 * A running container's network stack as the engine set it up (Docker's libnetwork calls this
 * the sandbox): the network namespace runc joins and the ports published into it. Persisted
 * while the container runs, so an engine restarted after a crash can tear it down later.
 *
 * @param netnsPath    the namespace file for runc: a bind-mounted namespace the engine made,
 *                     {@code /proc/<pid>/ns/net} of another container ({@code container:x}),
 *                     "host" ({@code --network host}) or null (a fresh one with only loopback)
 * @param owned        whether the engine made {@code netnsPath} and must remove it
 * @param ports        the published ports, host ports allocated
 * @param portsNetwork the ID of the network whose setup carries the port mappings
 * @param ipAddress    the address on the first network, for /etc/hosts ("" if none)
 * @param gateway      that network's gateway ("" if none): also the host's address for host-gateway
 * @param nameservers  the embedded DNS servers (aardvark-dns on the gateways of networks that
 *                     resolve names); empty means the host's resolvers
 */
public record Sandbox(
        String containerId,
        String netnsPath,
        boolean owned,
        List<PortMapping> ports,
        String portsNetwork,
        String ipAddress,
        String gateway,
        List<String> nameservers) implements JsonValue {

    public Sandbox {
        ports = ports == null ? List.of() : List.copyOf(ports);
        nameservers = nameservers == null ? List.of() : List.copyOf(nameservers);
        ipAddress = ipAddress == null ? "" : ipAddress;
        gateway = gateway == null ? "" : gateway;
    }

    /** The stored row: the components by name, in order, nulls written as null. */
    @Override
    public JsonNode toJson() {
        ArrayNode published = Json.array();
        ports.forEach(p -> published.add(p.toJson()));
        ObjectNode o = Json.object().put("containerId", containerId).put("netnsPath", netnsPath).put("owned", owned);
        o.set("ports", published);
        o.put("portsNetwork", portsNetwork).put("ipAddress", ipAddress).put("gateway", gateway);
        o.set("nameservers", Json.node(nameservers));
        return o;
    }

    /** Reads a stored row back. */
    static Sandbox from(JsonNode row) {
        JsonRead r = JsonRead.of(row, "Sandbox");
        return new Sandbox(r.string("containerId"), r.string("netnsPath"), r.bool("owned", false),
                r.list("ports", PortMapping::from), r.string("portsNetwork"), r.string("ipAddress"),
                r.string("gateway"), r.strings("nameservers"));
    }
}
