package dev.muelle.engine.network;

import dev.muelle.engine.errors.EngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * IPv4 address management for bridge networks, as dockerd's default IPAM does it: subnets for
 * new networks from Docker's default pools, addresses for endpoints (gateway, network and
 * broadcast addresses and the network's anchor excepted), and MAC addresses derived from them.
 * Stateless: what is taken is passed in.
 */
final class AddressPools {

    private static final Logger LOG = LoggerFactory.getLogger(AddressPools.class);

    private AddressPools() {
    }

    /**
     * Docker's default address pools (172.17–31.0.0/16, then 192.168.x.0/20), skipping those
     * used by a network here or routed on the host (another engine's bridge, a VPN).
     */
    static Ipv4Subnet freeSubnet(List<Ipv4Subnet> taken) {
        List<Ipv4Subnet> candidates = new ArrayList<>();
        for (int b = 17; b <= 31; b++) {
            candidates.add(Ipv4Subnet.parse("172." + b + ".0.0/16"));
        }
        for (int c = 0; c < 256; c += 16) {
            candidates.add(Ipv4Subnet.parse("192.168." + c + ".0/20"));
        }
        List<Ipv4Subnet> used = new ArrayList<>(hostRoutes());
        used.addAll(taken);
        for (Ipv4Subnet c : candidates) {
            if (used.stream().noneMatch(u -> u.overlaps(c))) {
                return c;
            }
        }
        throw new EngineException.Forbidden("could not find an available, non-overlapping IPv4 address pool among the"
                + " defaults to assign to the network");
    }

    /** The host's routed subnets from /proc/net/route (hex, little-endian), default route left out. */
    private static List<Ipv4Subnet> hostRoutes() {
        List<Ipv4Subnet> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/route"));
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 8) {
                    continue;
                }
                int dest = Integer.reverseBytes(Integer.parseUnsignedInt(f[1], 16));
                int mask = Integer.reverseBytes(Integer.parseUnsignedInt(f[7], 16));
                int prefix = Integer.bitCount(mask);
                if (prefix > 0) {
                    out.add(new Ipv4Subnet(dest, prefix));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot read host routes: {}", e.getMessage());
        }
        return out;
    }

    /** The requested address if free, else the lowest free one of the IP range (or subnet). */
    static String address(Network n, Endpoint e, List<Endpoint> members) {
        Ipv4Subnet subnet = n.ipv4Subnet();
        Set<Integer> used = new HashSet<>();
        used.add(Ipv4Subnet.address(n.gateway()));
        used.add(subnet.host(0));
        used.add(subnet.broadcast());
        used.add(BridgeAnchors.address(n));
        for (Endpoint other : members) {
            if (other.active() && !other.containerId().equals(e.containerId())) {
                used.add(Ipv4Subnet.address(other.ip()));
            }
        }
        if (e.requestedIp() != null) {
            if (used.contains(Ipv4Subnet.address(e.requestedIp()))) {
                throw new EngineException.Forbidden("Address already in use");
            }
            return e.requestedIp();
        }
        Ipv4Subnet range = n.ipRange() == null ? subnet : Ipv4Subnet.parse(n.ipRange());
        for (long i = 1; i < range.size(); i++) {
            int a = range.host(i);
            if (subnet.contains(a) && !used.contains(a)) {
                return Ipv4Subnet.format(a);
            }
        }
        throw new EngineException.Forbidden("no available IPv4 addresses on this network's address pools: " + n.name()
                + " (" + n.id() + ")");
    }

    /** Docker's MAC for an address: 02:42 then the four address bytes. */
    static String macFor(String ip) {
        int a = Ipv4Subnet.address(ip);
        return String.format("02:42:%02x:%02x:%02x:%02x", (a >>> 24) & 0xff, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff);
    }
}
