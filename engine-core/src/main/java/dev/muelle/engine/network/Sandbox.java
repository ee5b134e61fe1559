package dev.muelle.engine.network;

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
        List<String> nameservers) {

    public Sandbox {
        ports = ports == null ? List.of() : List.copyOf(ports);
        nameservers = nameservers == null ? List.of() : List.copyOf(nameservers);
        ipAddress = ipAddress == null ? "" : ipAddress;
        gateway = gateway == null ? "" : gateway;
    }
}
