package dev.muelle.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonRead;
import dev.muelle.engine.json.JsonValue;

import java.util.Map;

/**
 * A network as {@code docker network inspect} describes it. The three predefined ones are
 * {@code bridge} (the default, driver "bridge", no name resolution), {@code host} and
 * {@code none} (drivers "host" and "null", no addresses); every other network is a
 * user-defined bridge with its own Linux bridge {@code bridgeName}, name resolution by
 * aardvark-dns when {@code dnsEnabled}, and an IPv4 {@code subnet} with a {@code gateway} on the
 * host side. {@code ipRange}, if set, is the part of the subnet that automatic addresses come from.
 *
 * <p>Immutable: a network never changes once created (Docker has no network update).
 */
public record Network(
        String id,
        String name,
        String driver,
        String created,
        String subnet,
        String gateway,
        String ipRange,
        boolean internal,
        boolean attachable,
        boolean dnsEnabled,
        String bridgeName,
        Map<String, String> labels,
        Map<String, String> options) implements JsonValue {

    public static final String BRIDGE = "bridge";
    public static final String HOST = "host";
    public static final String NONE = "none";

    public Network {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** bridge, host and none exist in every engine and cannot be removed. */
    public boolean predefined() {
        return name.equals(BRIDGE) || name.equals(HOST) || name.equals(NONE);
    }

    /** Only bridge networks give containers addresses (host and none have no subnet). */
    public boolean hasAddresses() {
        return driver.equals("bridge") && subnet != null;
    }

    public Ipv4Subnet ipv4Subnet() {
        return Ipv4Subnet.parse(subnet);
    }

    public String shortId() {
        return id.substring(0, 12);
    }

    /** The stored row (migration 4): the components by name, in order, nulls written as null. */
    @Override
    public JsonNode toJson() {
        ObjectNode o = Json.object().put("id", id).put("name", name).put("driver", driver).put("created", created)
                .put("subnet", subnet).put("gateway", gateway).put("ipRange", ipRange).put("internal", internal)
                .put("attachable", attachable).put("dnsEnabled", dnsEnabled).put("bridgeName", bridgeName);
        o.set("labels", Json.node(labels));
        return o.set("options", Json.node(options));
    }

    /** Reads a stored row back. */
    static Network from(JsonNode row) {
        JsonRead r = JsonRead.of(row, "Network");
        return new Network(r.string("id"), r.string("name"), r.string("driver"), r.string("created"),
                r.string("subnet"), r.string("gateway"), r.string("ipRange"), r.bool("internal", false),
                r.bool("attachable", false), r.bool("dnsEnabled", false), r.string("bridgeName"),
                r.stringMap("labels"), r.stringMap("options"));
    }
}
