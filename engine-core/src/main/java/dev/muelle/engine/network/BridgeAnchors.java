package dev.muelle.engine.network;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps a bridge network's Linux bridge, firewall chains and DNS server up between containers,
 * as dockerd keeps docker0 up: netavark removes them with the network's last container, and
 * making them again costs about 200 ms on every {@code docker run --rm} (measured here: teardown
 * of the last member 0.27 s, of any other 0.07 s).
 *
 * <p>An anchor is a namespace of its own, {@code <exec-root>/netns/anchor-<network-id>}, wired
 * to the network like a container, on the network's last usable address (which IPAM therefore
 * never hands out). Anchors are made on a network's first use and released when the network is
 * removed or the engine stops with nothing running on it; after a crash the file tells that the
 * anchor is still there.
 */
final class BridgeAnchors {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeAnchors.class);

    private final NetnsManager namespaces;
    private final NetavarkBackend netavark;

    BridgeAnchors(NetnsManager namespaces, NetavarkBackend netavark) {
        this.namespaces = namespaces;
        this.netavark = netavark;
    }

    /** The address the anchor of {@code n} holds: the last usable one that is not the gateway. */
    static int address(Network n) {
        Ipv4Subnet s = n.ipv4Subnet();
        int last = s.broadcast() - 1;
        return last == Ipv4Subnet.address(n.gateway()) ? last - 1 : last;
    }

    /** Makes the anchor of {@code n} unless it is there; a failure only costs speed, so it is logged. */
    void ensure(Network n) {
        Path p = path(n);
        if (Files.exists(p)) {
            return;
        }
        try {
            namespaces.create(name(n));
            netavark.setup(p, attachment(n));
        } catch (RuntimeException e) {
            LOG.warn("cannot keep the bridge of network {} up between containers: {}", n.name(), e.getMessage());
            namespaces.remove(p);
        }
    }

    /** Takes the anchor of {@code n} down, if it is there. */
    void release(Network n) {
        Path p = path(n);
        if (!Files.exists(p)) {
            return;
        }
        try {
            netavark.teardown(p, attachment(n));
        } catch (RuntimeException e) {
            LOG.warn("tearing down the anchor of network {}: {}", n.name(), e.getMessage());
        }
        namespaces.remove(p);
    }

    private Path path(Network n) {
        return namespaces.pathFor(name(n));
    }

    private static String name(Network n) {
        return "anchor-" + n.id();
    }

    private static NetavarkBackend.Attachment attachment(Network n) {
        String ip = Ipv4Subnet.format(address(n));
        Endpoint e = Endpoint.member(n.id(), n.id(), "", List.of(), ip)
                .withAddress("", ip, AddressPools.macFor(ip), "", "eth0");
        return new NetavarkBackend.Attachment(n.id(), name(n), n, e, List.of(), List.of());
    }
}
