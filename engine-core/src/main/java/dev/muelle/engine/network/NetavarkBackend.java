package dev.muelle.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sets up and tears down one container's attachment to one bridge network with netavark (1.4):
 * the bridge, a veth pair, the address, NAT, the published ports' DNAT rules (iptables) and, on
 * networks that resolve names, aardvark-dns's entry for the container.
 *
 * <p>netavark is stateless except for aardvark-dns's files under {@code configDir}: everything it
 * needs comes on stdin as podman's {@code NetworkOptions} JSON ({@code container_id},
 * {@code container_name}, {@code port_mappings}, {@code networks} with {@code static_ips},
 * {@code static_mac}, {@code aliases}, {@code interface_name}, and {@code network_info}), and
 * teardown must be given the same document as setup. Addresses are chosen by the engine (netavark
 * does no IPAM of its own).
 */
public final class NetavarkBackend {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NetavarkBackend.class);

    /** Debian's netavark and aardvark-dns (packages netavark, aardvark-dns). */
    public static final Path NETAVARK = Path.of("/usr/lib/podman/netavark");
    public static final Path AARDVARK = Path.of("/usr/lib/podman/aardvark-dns");

    private static final String ISOLATION_CHAIN = "NETAVARK_ISOLATION_1";
    private static final Object ISOLATION_JUMP = new Object();

    private final Path configDir;
    /**
     * One netavark run at a time: its iptables and bridge setup check, then add (chains, rules),
     * so two runs on one network could race. Start-path runs already take turns under the network
     * service's lock; this also lines up the namespace pool's background runs with them.
     */
    private final Object oneAtATime = new Object();

    public NetavarkBackend(Path configDir) {
        this.configDir = configDir;
    }

    /** One container on one network, as netavark is told about it. */
    public record Attachment(String containerId, String containerName, Network network, Endpoint endpoint,
                             List<String> dnsNames, List<PortMapping> ports) {
    }

    /** Connects the container in {@code netns}; returns the MAC address of its interface. */
    public String setup(Path netns, Attachment a) {
        return setup(netns, a, false);
    }

    /** As {@link #setup(Path, Attachment)}; {@code background}: netavark runs niced, behind any start. */
    public String setup(Path netns, Attachment a, boolean background) {
        String out = invoke("setup", netns, a, background);
        try {
            JsonNode status = Json.parse(out).path(a.network().id());
            JsonNode iface = status.path("interfaces").path(a.endpoint().interfaceName());
            return iface.path("mac_address").asText(a.endpoint().mac());
        } catch (IOException e) {
            throw new EngineException.SystemError("netavark setup answered no JSON: " + out, e);
        }
    }

    public void teardown(Path netns, Attachment a) {
        invoke("teardown", netns, a, false);
        if (!Files.exists(Path.of("/sys/class/net", a.network().bridgeName()))) {
            keepIsolationJump();
        }
    }

    /**
     * netavark 1.4 deletes FORWARD's jump to {@code NETAVARK_ISOLATION_1} whenever it removes an
     * isolated network's bridge, although the chain still holds the rules of every other isolated
     * network (this engine's and any other netavark user's): from then on all bridges reach one
     * another until some setup puts the jump back. Put it back at once while the chain has rules.
     */
    private static void keepIsolationJump() {
        synchronized (ISOLATION_JUMP) {
            HostCommand.Output chain = new HostCommand("iptables", "-w", "-S", ISOLATION_CHAIN).run(null);
            if (chain.exitCode() != 0 || chain.stdout().lines().count() <= 1) {
                return; // no chain, or no rules left in it: nothing to protect
            }
            if (new HostCommand("iptables", "-w", "-C", "FORWARD", "-j", ISOLATION_CHAIN).run(null).exitCode() != 0) {
                LOG.debug("putting back FORWARD's jump to {} that netavark removed", ISOLATION_CHAIN);
                new HostCommand("iptables", "-w", "-I", "FORWARD", "1", "-j", ISOLATION_CHAIN).check(null);
            }
        }
    }

    /**
     * Changes the names a running container answers to on a network in place (netavark has no
     * verb for it; re-running setup would cut its connections). aardvark-dns's documented file
     * format: one file per network, after the listen line one line per container,
     * {@code <id> <ipv4s> <ipv6s> <names>[ <dns servers>]}; SIGHUP makes it reload.
     */
    public void renameInDns(Network n, String containerId, List<String> names) {
        Path dir = configDir.resolve("aardvark-dns");
        Path file = dir.resolve(n.id());
        try {
            if (!Files.exists(file)) {
                return;
            }
            List<String> lines = new ArrayList<>(Files.readAllLines(file));
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split(" ", -1);
                if (f.length >= 4 && f[0].equals(containerId)) {
                    f[3] = String.join(",", names);
                    lines.set(i, String.join(" ", f));
                }
            }
            Path tmp = dir.resolve("." + n.id() + ".tmp");
            Files.write(tmp, lines);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            String pid = Files.readString(dir.resolve("aardvark.pid")).trim();
            new HostCommand("kill", "-HUP", pid).check(null);
            if (!names.isEmpty()) {
                awaitServed(n.gateway(), names.get(0));
            }
        } catch (IOException | RuntimeException e) {
            throw new EngineException.SystemError("cannot rename container " + containerId.substring(0, 12)
                    + " in the DNS of network " + n.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * aardvark-dns reloads asynchronously after SIGHUP; wait (briefly) until it answers for the
     * new name, so a client that renames and then resolves sees the rename, as with Docker's
     * embedded DNS. Asks the server itself through the JDK's DNS naming provider.
     */
    private static void awaitServed(String server, String name) {
        java.util.Hashtable<String, String> env = new java.util.Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", "dns://" + server);
        env.put("com.sun.jndi.dns.timeout.initial", "100");
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                var ctx = new javax.naming.directory.InitialDirContext(env);
                try {
                    if (ctx.getAttributes(name, new String[] {"A"}).get("A") != null) {
                        return;
                    }
                } finally {
                    ctx.close();
                }
            } catch (javax.naming.NamingException notYet) {
                // not served yet
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.debug("aardvark-dns on {} did not answer for {} within 2 s of the rename", server, name);
    }

    private String invoke(String verb, Path netns, Attachment a, boolean background) {
        try {
            Files.createDirectories(configDir);
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot create " + configDir + ": " + e.getMessage(), e);
        }
        List<String> argv = new ArrayList<>();
        if (background) {
            argv.addAll(List.of("nice", "-n", "10"));
        }
        argv.addAll(List.of(NETAVARK.toString(), "--config", configDir.toString(), "--aardvark-binary",
                AARDVARK.toString(), verb, netns.toString()));
        HostCommand cmd = new HostCommand(argv, Map.of("NETAVARK_FW", "iptables"));
        HostCommand.Output o;
        synchronized (oneAtATime) {
            o = cmd.run(Json.string(options(a)));
        }
        if (o.exitCode() != 0) {
            throw new EngineException.SystemError("netavark " + verb + " for network " + a.network().name()
                    + " failed: " + errorOf(o));
        }
        return o.stdout();
    }

    private static String errorOf(HostCommand.Output o) {
        try {
            JsonNode n = Json.parse(o.stdout());
            if (n != null && n.has("error")) {
                return n.get("error").asText();
            }
        } catch (IOException ignored) {
            // not JSON: show what it printed
        }
        return (o.stdout() + o.stderr()).trim();
    }

    static ObjectNode options(Attachment a) {
        ObjectNode root = Json.object();
        root.put("container_id", a.containerId());
        root.put("container_name", a.containerName());
        ArrayNode ports = root.putArray("port_mappings");
        for (PortMapping p : a.ports()) {
            ports.addObject()
                    .put("host_ip", p.hostIp())
                    .put("container_port", p.containerPort())
                    .put("host_port", p.hostPort())
                    .put("range", 1)
                    .put("protocol", p.protocol());
        }
        Endpoint e = a.endpoint();
        ObjectNode per = root.putObject("networks").putObject(a.network().id());
        per.putArray("static_ips").add(e.ip());
        per.put("static_mac", e.mac());
        per.put("interface_name", e.interfaceName());
        ArrayNode aliases = per.putArray("aliases");
        a.dnsNames().forEach(aliases::add);
        root.putObject("network_info").set(a.network().id(), network(a.network()));
        return root;
    }

    /** podman's {@code types.Network}; netavark's name is the network ID so that names may repeat. */
    static ObjectNode network(Network n) {
        ObjectNode o = Json.object();
        o.put("name", n.id());
        o.put("id", n.id());
        o.put("driver", "bridge");
        o.put("network_interface", n.bridgeName());
        ObjectNode subnet = o.putArray("subnets").addObject();
        subnet.put("subnet", n.subnet());
        subnet.put("gateway", n.gateway());
        o.put("ipv6_enabled", false);
        o.put("internal", n.internal());
        o.put("dns_enabled", n.dnsEnabled());
        // Docker keeps bridge networks apart from one another; netavark does so when asked.
        o.putObject("options").put("isolate", "true");
        o.putObject("ipam_options").put("driver", "host-local");
        return o;
    }

    /** The names a container answers to on a network: its name, aliases and short ID, as in Docker. */
    static List<String> dnsNames(String containerId, String containerName, List<String> aliases) {
        List<String> names = new ArrayList<>();
        names.add(containerName);
        for (String alias : aliases) {
            if (!names.contains(alias)) {
                names.add(alias);
            }
        }
        String shortId = containerId.substring(0, 12);
        if (!names.contains(shortId)) {
            names.add(shortId);
        }
        return names;
    }
}
