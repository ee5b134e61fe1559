package dev.muelle.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.network.Network;
import dev.muelle.engine.network.NetworkRequests;
import dev.muelle.engine.network.NetworkService;
import dev.muelle.engine.network.NetworkViews;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /networks/...}: reads the request, calls the network service, writes Docker's shapes. */
final class NetworkHandlers {

    private final NetworkService networks;
    private final NetworkViews views;

    NetworkHandlers(NetworkService networks) {
        this.networks = networks;
        this.views = new NetworkViews(networks);
    }

    void register(Router r) {
        r.get("/networks", (q, s) -> s.json(200, views.networks(networks.list(q.filters()))))
                .post("/networks/create", this::create)
                .post("/networks/prune", (q, s) -> s.json(200, Map.of("NetworksDeleted", networks.prune(q.filters()))))
                .get("/networks/{id}", (q, s) -> s.json(200, views.network(networks.get(q.param("id")), true)))
                .delete("/networks/{id}", (q, s) -> { networks.remove(q.param("id")); s.status(204); })
                .post("/networks/{id}/connect", (q, s) -> {
                    JsonNode body = body(q);
                    networks.connect(q.param("id"), body.path("Container").asText(), endpoint(body.path("EndpointConfig")));
                    s.status(200);
                })
                .post("/networks/{id}/disconnect", (q, s) -> {
                    JsonNode body = body(q);
                    networks.disconnect(q.param("id"), body.path("Container").asText(), body.path("Force").asBoolean());
                    s.status(200);
                });
    }

    private void create(ApiRequest q, ApiResponse s) throws IOException {
        JsonNode b = body(q);
        List<NetworkRequests.Pool> pools = new ArrayList<>();
        for (JsonNode c : b.path("IPAM").path("Config")) {
            pools.add(new NetworkRequests.Pool(text(c, "Subnet"), text(c, "IPRange"), text(c, "Gateway")));
        }
        Network n = networks.create(new NetworkRequests.Create(text(b, "Name"), text(b, "Driver"),
                // API 1.44 dropped CheckDuplicate: from then on names are always unique.
                b.path("CheckDuplicate").asBoolean(false) || q.versionAtLeast("1.44"), b.path("Internal").asBoolean(false),
                b.path("Attachable").asBoolean(false), b.path("EnableIPv6").asBoolean(false), pools,
                strings(b.path("Options")), strings(b.path("Labels"))));
        s.json(201, Map.of("Id", n.id(), "Warning", ""));
    }

    /** NetworkingConfig.EndpointsConfig of a container create: network → aliases and --ip. */
    static Map<String, NetworkRequests.Endpoint> endpointsConfig(JsonNode networking) {
        Map<String, NetworkRequests.Endpoint> out = new LinkedHashMap<>();
        if (networking == null) {
            return out;
        }
        networking.path("EndpointsConfig").fields().forEachRemaining(e -> out.put(e.getKey(), endpoint(e.getValue())));
        return out;
    }

    private static NetworkRequests.Endpoint endpoint(JsonNode n) {
        List<String> aliases = new ArrayList<>();
        n.path("Aliases").forEach(a -> aliases.add(a.asText()));
        return new NetworkRequests.Endpoint(aliases, text(n.path("IPAMConfig"), "IPv4Address"));
    }

    private static JsonNode body(ApiRequest q) throws IOException {
        JsonNode b = q.bodyJson();
        if (b == null || !b.isObject()) {
            throw new EngineException.InvalidParameter("request body must be a JSON object");
        }
        return b;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}
