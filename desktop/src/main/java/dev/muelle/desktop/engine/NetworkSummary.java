package dev.muelle.desktop.engine;

import java.util.List;

/**
 * One network, from {@code GET /networks/{id}}: its first IPAM pool and the containers connected.
 *
 * @param subnet CIDR, empty when the engine assigned none (host, none)
 */
public record NetworkSummary(String id, String name, String driver, String scope, String subnet, String gateway,
                             boolean internal, List<Endpoint> containers) {

    /** A container on the network and its address there ({@code 172.18.0.2/16}). */
    public record Endpoint(String containerId, String containerName, String address) {
    }
}
