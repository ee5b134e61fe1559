package dev.muelle.engine.network;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.system.ProcFiles;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Host ports published by running containers. A port is taken per protocol and host address,
 * and the empty address (all of them) overlaps every other address. Random ports come from the
 * kernel's ephemeral range, as Docker's allocator does, in rising order so a port just freed is
 * not handed out again at once.
 *
 * <p>Besides ports of other containers, a port some host process listens on is refused, because
 * DNAT would silently steal its traffic.
 */
final class PortAllocator {

    private final Map<String, List<PortMapping>> byContainer = new HashMap<>();
    private final int rangeStart;
    private final int rangeEnd;
    private int next;

    PortAllocator() {
        int[] range = ephemeralRange();
        this.rangeStart = range[0];
        this.rangeEnd = range[1];
        this.next = rangeStart;
    }

    /** Allocates every request of one container, all or nothing. */
    synchronized List<PortMapping> allocate(String containerId, List<PortMapping> requests) {
        List<PortMapping> granted = new ArrayList<>();
        byContainer.put(containerId, granted);
        try {
            for (PortMapping r : requests) {
                granted.add(r.hostPort() == 0 ? random(r) : fixed(r));
            }
        } catch (RuntimeException e) {
            byContainer.remove(containerId);
            throw e;
        }
        return List.copyOf(granted);
    }

    /** Takes back what a container held when the engine went down. */
    synchronized void restore(String containerId, List<PortMapping> ports) {
        byContainer.put(containerId, new ArrayList<>(ports));
    }

    synchronized void release(String containerId) {
        byContainer.remove(containerId);
    }

    private PortMapping fixed(PortMapping r) {
        if (taken(r)) {
            throw new EngineException.Conflict("Bind for " + r.shownHostIp() + ":" + r.hostPort()
                    + " failed: port is already allocated");
        }
        String refusal = hostRefusal(r);
        if (refusal != null) {
            throw new EngineException.Conflict("Error starting userland proxy: listen " + r.protocol() + "4 "
                    + r.shownHostIp() + ":" + r.hostPort() + ": bind: " + refusal);
        }
        return r;
    }

    private PortMapping random(PortMapping r) {
        int span = rangeEnd - rangeStart + 1;
        for (int i = 0; i < span; i++) {
            int port = next;
            next = next >= rangeEnd ? rangeStart : next + 1;
            PortMapping candidate = r.withHostPort(port);
            if (!taken(candidate) && hostRefusal(candidate) == null) {
                return candidate;
            }
        }
        throw new EngineException.Conflict("Bind for " + r.shownHostIp() + ":0 failed: no free port in "
                + rangeStart + "-" + rangeEnd);
    }

    private boolean taken(PortMapping r) {
        for (List<PortMapping> held : byContainer.values()) {
            for (PortMapping p : held) {
                if (p.hostPort() == r.hostPort() && p.protocol().equals(r.protocol())
                        && (p.hostIp().isEmpty() || r.hostIp().isEmpty() || p.hostIp().equals(r.hostIp()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Null if the host could bind the port, else why not in Go's words ("address already in use"). */
    private static String hostRefusal(PortMapping r) {
        try {
            InetAddress addr = r.hostIp().isEmpty() ? InetAddress.getByName("0.0.0.0") : InetAddress.getByName(r.hostIp());
            InetSocketAddress sa = new InetSocketAddress(addr, r.hostPort());
            if (r.protocol().equals("udp")) {
                try (DatagramSocket s = new DatagramSocket(null)) {
                    s.bind(sa);
                }
            } else {
                try (ServerSocket s = new ServerSocket()) {
                    s.setReuseAddress(true);
                    s.bind(sa);
                }
            }
            return null;
        } catch (IOException e) {
            String why = e.getMessage() == null ? "address already in use" : e.getMessage();
            int paren = why.indexOf(" (");
            return (paren > 0 ? why.substring(0, paren) : why).toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static int[] ephemeralRange() {
        try {
            String[] parts = ProcFiles.read(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {32768, 60999};
        }
    }
}
