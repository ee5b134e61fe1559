package dev.muelle.engine.network;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Networks and container network settings in the API's shapes: {@code Network} (inspect and
 * list), {@code NetworkSettings} of a container's inspect, and the {@code Ports} and
 * {@code NetworkSettings} of a {@code ContainerSummary} ({@code docker ps}).
 */
public final class NetworkViews {

    private final NetworkService service;

    public NetworkViews(NetworkService service) {
        this.service = service;
    }

    /** {@code docker network inspect}; {@code Containers} lists the running members only, as dockerd's does. */
    public ObjectNode network(Network n, boolean withContainers) {
        ObjectNode o = Json.object();
        o.put("Name", n.name());
        o.put("Id", n.id());
        o.put("Created", n.created());
        o.put("Scope", "local");
        o.put("Driver", n.driver());
        o.put("EnableIPv6", false);
        ObjectNode ipam = o.putObject("IPAM");
        ipam.put("Driver", "default");
        if (n.predefined()) {
            ipam.putNull("Options");
        } else {
            ipam.putObject("Options");
        }
        ArrayNode config = ipam.putArray("Config");
        if (n.hasAddresses()) {
            ObjectNode c = config.addObject();
            c.put("Subnet", n.subnet());
            if (n.ipRange() != null) {
                c.put("IPRange", n.ipRange());
            }
            c.put("Gateway", n.gateway());
        }
        o.put("Internal", n.internal());
        o.put("Attachable", n.attachable());
        o.put("Ingress", false);
        o.putObject("ConfigFrom").put("Network", "");
        o.put("ConfigOnly", false);
        ObjectNode members = o.putObject("Containers");
        if (withContainers) {
            for (Endpoint e : service.members(n)) {
                if (!e.active()) {
                    continue;
                }
                ObjectNode m = members.putObject(e.containerId());
                m.put("Name", e.containerName());
                m.put("EndpointID", e.endpointId());
                m.put("MacAddress", e.mac());
                m.put("IPv4Address", e.ip() + "/" + n.ipv4Subnet().prefix());
                m.put("IPv6Address", "");
            }
        }
        ObjectNode opts = o.putObject("Options");
        n.options().forEach(opts::put);
        ObjectNode labels = o.putObject("Labels");
        n.labels().forEach(labels::put);
        return o;
    }

    public ArrayNode networks(Collection<Network> list) {
        ArrayNode a = Json.array();
        list.forEach(n -> a.add(network(n, false)));
        return a;
    }

    /**
     * A container's {@code NetworkSettings}: one entry per network it is on (addresses only while
     * it runs), the published ports, and, for the default bridge, the legacy top-level fields.
     *
     * @param exposedPorts the container's ExposedPorts keys ("80/tcp"): unpublished ones show as null
     */
    public ObjectNode containerSettings(String containerId, String networkMode, boolean running,
                                        Collection<String> exposedPorts) {
        Optional<Sandbox> sb = running ? service.sandbox(containerId) : Optional.empty();
        ObjectNode o = Json.object();
        o.put("Bridge", "");
        o.put("SandboxID", sb.filter(Sandbox::owned).map(s -> containerId).orElse(""));
        o.put("SandboxKey", sb.filter(Sandbox::owned).map(Sandbox::netnsPath).orElse(""));
        ObjectNode ports = o.putObject("Ports");
        if (running) {
            for (String key : exposedPorts) {
                ports.putNull(key.contains("/") ? key : key + "/tcp");
            }
            for (PortMapping p : sb.map(Sandbox::ports).orElse(List.of())) {
                if (!ports.has(p.containerKey()) || ports.get(p.containerKey()).isNull()) {
                    ports.putArray(p.containerKey());
                }
                ((ArrayNode) ports.get(p.containerKey())).addObject()
                        .put("HostIp", p.shownHostIp())
                        .put("HostPort", String.valueOf(p.hostPort()));
            }
        }
        o.put("HairpinMode", false);
        o.put("LinkLocalIPv6Address", "");
        o.put("LinkLocalIPv6PrefixLen", 0);
        o.putNull("SecondaryIPAddresses");
        o.putNull("SecondaryIPv6Addresses");
        Endpoint legacy = null;
        ObjectNode nets = Json.object();
        List<Endpoint> mine = service.endpointsOf(containerId);
        for (Endpoint e : mine) {
            Network n = service.byId(e.networkId());
            nets.set(n.name(), endpointSettings(n, e));
            if (n.name().equals(Network.BRIDGE)) {
                legacy = e;
            }
        }
        if (mine.isEmpty() && (Network.HOST.equals(networkMode) || Network.NONE.equals(networkMode))) {
            Network n = service.get(networkMode);
            nets.set(n.name(), endpointSettings(n, Endpoint.member(containerId, n.id(), "", List.of(), null)));
        }
        Network bridge = service.get(Network.BRIDGE);
        boolean legacyUp = legacy != null && legacy.active();
        o.put("EndpointID", legacyUp ? legacy.endpointId() : "");
        o.put("Gateway", legacyUp ? bridge.gateway() : "");
        o.put("GlobalIPv6Address", "");
        o.put("GlobalIPv6PrefixLen", 0);
        o.put("IPAddress", legacyUp ? legacy.ip() : "");
        o.put("IPPrefixLen", legacyUp ? bridge.ipv4Subnet().prefix() : 0);
        o.put("IPv6Gateway", "");
        o.put("MacAddress", legacyUp ? legacy.mac() : "");
        o.set("Networks", nets);
        return o;
    }

    private static ObjectNode endpointSettings(Network n, Endpoint e) {
        ObjectNode o = Json.object();
        if (e.requestedIp() != null) {
            o.putObject("IPAMConfig").put("IPv4Address", e.requestedIp());
        } else {
            o.putNull("IPAMConfig");
        }
        o.putNull("Links");
        if (n.dnsEnabled()) {
            ArrayNode aliases = o.putArray("Aliases");
            e.aliases().forEach(aliases::add);
            aliases.add(e.containerId().substring(0, 12));
        } else {
            o.putNull("Aliases");
        }
        o.put("NetworkID", n.id());
        o.put("EndpointID", e.endpointId());
        o.put("Gateway", e.active() ? n.gateway() : "");
        o.put("IPAddress", e.ip());
        o.put("IPPrefixLen", e.active() ? n.ipv4Subnet().prefix() : 0);
        o.put("IPv6Gateway", "");
        o.put("GlobalIPv6Address", "");
        o.put("GlobalIPv6PrefixLen", 0);
        o.put("MacAddress", e.mac());
        o.putNull("DriverOpts");
        return o;
    }

    /** {@code ContainerSummary.Ports}: published ports of a running container, then exposed ones. */
    public ArrayNode portSummaries(String containerId, boolean running, Collection<String> exposedPorts) {
        ArrayNode a = Json.array();
        List<PortMapping> published = running ? service.sandbox(containerId).map(Sandbox::ports).orElse(List.of())
                : List.of();
        for (PortMapping p : published) {
            a.addObject().put("IP", p.shownHostIp()).put("PrivatePort", p.containerPort())
                    .put("PublicPort", p.hostPort()).put("Type", p.protocol());
        }
        for (String key : exposedPorts) {
            String[] pp = key.split("/");
            int port;
            try {
                port = Integer.parseInt(pp[0]);
            } catch (NumberFormatException e) {
                continue;
            }
            String proto = pp.length > 1 ? pp[1] : "tcp";
            boolean shown = published.stream().anyMatch(p -> p.containerPort() == port && p.protocol().equals(proto));
            if (!shown) {
                a.addObject().put("PrivatePort", port).put("Type", proto);
            }
        }
        return a;
    }

    /** {@code ContainerSummary.NetworkSettings.Networks}. */
    public ObjectNode summaryNetworks(String containerId, String networkMode) {
        return (ObjectNode) containerSettings(containerId, networkMode, true, List.of()).get("Networks");
    }
}
