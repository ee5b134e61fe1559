package dev.muelle.engine.image.registry;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's registry settings: which registries may be reached over plain HTTP or unverified
 * TLS ("insecure registries", loopback always, as dockerd does) and where per-registry CA
 * certificates live (Docker's {@code <dir>/<host:port>/ca.crt} convention, first match wins).
 *
 * <p>Endpoints are made once per host and kept, so connections (and the TLS sessions on them) are
 * reused across pulls.
 */
public final class RegistryHosts {

    /** Docker Hub's name in references and the host that actually serves its API. */
    static final String DOCKER_HUB = "docker.io";
    static final String DOCKER_HUB_API = "registry-1.docker.io";

    private final List<String> insecure;
    private final List<Path> certsDirs;
    private final Map<String, RegistryEndpoint> endpoints = new ConcurrentHashMap<>();

    /**
     * @param insecure  host names, {@code host:port}s or CIDRs ({@code 10.0.0.0/8}) besides loopback
     * @param certsDirs directories holding {@code <host:port>/*.crt}, e.g. {@code /etc/docker/certs.d}
     */
    public RegistryHosts(List<String> insecure, List<Path> certsDirs) {
        this.insecure = List.copyOf(insecure);
        this.certsDirs = List.copyOf(certsDirs);
    }

    /** Defaults for a data root: {@code <data-root>/certs.d} then {@code /etc/docker/certs.d}. */
    public static RegistryHosts defaults(Path dataRoot, List<String> insecure) {
        return new RegistryHosts(insecure, List.of(dataRoot.resolve("certs.d"), Path.of("/etc/docker/certs.d")));
    }

    /**
     * Decides how to reach {@code host} (a reference's domain, e.g. {@code 127.0.0.1:5000}): with
     * a CA file configured for it, verified HTTPS with that CA and the system ones and nothing
     * else; else for an insecure registry HTTPS without verification, then plain HTTP; else
     * verified HTTPS.
     */
    public RegistryEndpoint endpoint(String host) {
        return endpoints.computeIfAbsent(host, this::decide);
    }

    private RegistryEndpoint decide(String host) {
        String apiHost = host.equals(DOCKER_HUB) ? DOCKER_HUB_API : host;
        List<Path> cas = caFiles(host);
        if (!cas.isEmpty()) {
            return RegistryEndpoint.verified(host, apiHost, cas);
        }
        if (isInsecure(host)) {
            return RegistryEndpoint.insecure(host, apiHost);
        }
        return RegistryEndpoint.verified(host, apiHost, List.of());
    }

    private List<Path> caFiles(String host) {
        for (Path dir : certsDirs) {
            Path hostDir = dir.resolve(host);
            if (!Files.isDirectory(hostDir)) {
                continue;
            }
            List<Path> out = new ArrayList<>();
            try (var files = Files.list(hostDir)) {
                files.filter(p -> p.getFileName().toString().endsWith(".crt")).sorted().forEach(out::add);
            } catch (java.io.IOException e) {
                continue;
            }
            if (!out.isEmpty()) {
                return out;
            }
        }
        return List.of();
    }

    boolean isInsecure(String host) {
        String name = hostName(host);
        for (String entry : insecure) {
            String e = entry.toLowerCase(Locale.ROOT);
            if (e.equals(host.toLowerCase(Locale.ROOT)) || e.equals(name)) {
                return true;
            }
        }
        if (name.equals("localhost")) {
            return true;
        }
        try {
            InetAddress address = InetAddress.getByName(name);
            if (address.isLoopbackAddress()) {
                return true;
            }
            for (String entry : insecure) {
                if (entry.contains("/") && inCidr(address, entry)) {
                    return true;
                }
            }
        } catch (UnknownHostException e) {
            return false;
        }
        return false;
    }

    /** {@code host:port} → {@code host}; {@code [::1]:5000} → {@code ::1}. */
    static String hostName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            return h.substring(1, h.indexOf(']'));
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 || h.indexOf(':') != colon ? h : h.substring(0, colon);
    }

    private static boolean inCidr(InetAddress address, String cidr) {
        try {
            String[] p = cidr.split("/");
            byte[] net = InetAddress.getByName(p[0]).getAddress();
            byte[] a = address.getAddress();
            int bits = Integer.parseInt(p[1]);
            if (net.length != a.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((net[i / 8] & mask) != (a[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | RuntimeException e) {
            return false;
        }
    }
}
