package dev.muelle.engine.network;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.events.EventBus;
import dev.muelle.engine.store.Database;
import dev.muelle.engine.system.IdlePools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Networks and the containers on them.
 *
 * <p>Words: a <em>network</em> ({@link Network}) is a Linux bridge with a subnet; an
 * <em>endpoint</em> ({@link Endpoint}) is a container's membership of a network, created with the
 * container (or by {@code network connect}) and holding an address only while the container
 * runs; a <em>sandbox</em> ({@link Sandbox}) is a running container's network namespace with its
 * published ports.
 *
 * <p>Running a container: {@link #join} at create records its endpoints; {@link #attach} at
 * start makes its namespace (under {@code <exec-root>/netns}), allocates addresses and host
 * ports and has netavark wire each network, in the background while runc creates the container
 * (a start on the default bridge with no published ports instead takes a namespace the
 * {@link NamespacePool} wired ahead of time);
 * {@link #detach} when it stops undoes that;
 * {@link #forget} at remove drops its endpoints. Namespaces, netavark's iptables rules and
 * aardvark-dns outlive the engine, so a container that keeps running across an engine restart
 * keeps its connectivity; {@link #recover} re-reads what is held and releases what is not.
 *
 * <p>Thread-safety: every method is synchronized; netavark calls (tens of ms) run under the lock.
 * Stops and removals are reported to clients before their teardown ({@link #detachAfter}), but
 * under the same lock, so later calls wait for it.
 */
public final class NetworkService {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The default network's bridge and its gateway/prefix (dockerd's --bridge and --bip). Muelle's
     * own default, {@code muelle0} on 10.88.0.1/16, stays apart from dockerd's docker0 (172.17/16).
     */
    public record DefaultBridge(String name, String bip) {

        public static final DefaultBridge MUELLE = new DefaultBridge("muelle0", "10.88.0.1/16");
    }

    private static final Set<String> LIST_FILTERS = Set.of("driver", "id", "label", "name", "scope", "type", "dangling");

    private final NetworkRepository repo;
    private final NetnsManager namespaces;
    private final NetavarkBackend netavark;
    private final PortAllocator ports = new PortAllocator();
    /** Runs netavark for starting containers; no thread stays while nothing starts. */
    private final ExecutorService wiringThread = IdlePools.single("network-setup");
    private final BridgeAnchors anchors;
    private final NamespacePool spares;
    private final EventBus events;
    private final Map<String, Network> networks = new LinkedHashMap<>();
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final DefaultBridge defaultBridge;
    private ContainerDirectory containers;

    public NetworkService(Database db, Path execRoot, EventBus events) {
        this(db, execRoot, events, DefaultBridge.MUELLE);
    }

    public NetworkService(Database db, Path execRoot, EventBus events, DefaultBridge defaultBridge) {
        this.defaultBridge = defaultBridge;
        this.repo = new NetworkRepository(db);
        this.namespaces = new NetnsManager(execRoot.resolve("netns"));
        this.netavark = new NetavarkBackend(execRoot.resolve("netavark"));
        this.anchors = new BridgeAnchors(namespaces, netavark);
        this.spares = new NamespacePool(this, namespaces, netavark);
        this.events = events;
        repo.networks().forEach(n -> networks.put(n.id(), n));
        repo.endpoints().forEach(e -> endpoints.put(key(e.containerId(), e.networkId()), e));
        repo.sandboxes().forEach(s -> ports.restore(s.containerId(), s.ports()));
        ensurePredefined();
    }

    /** Wired after construction: the container service is built on top of this one. */
    public synchronized void setContainers(ContainerDirectory containers) {
        this.containers = containers;
    }

    private void ensurePredefined() {
        if (byName(Network.BRIDGE).isEmpty()) {
            Ipv4Subnet subnet = Ipv4Subnet.parse(defaultBridge.bip());
            String gateway = defaultBridge.bip().substring(0, defaultBridge.bip().indexOf('/'));
            Map<String, String> opts = new LinkedHashMap<>();
            opts.put("com.docker.network.bridge.default_bridge", "true");
            opts.put("com.docker.network.bridge.enable_icc", "true");
            opts.put("com.docker.network.bridge.enable_ip_masquerade", "true");
            opts.put("com.docker.network.bridge.host_binding_ipv4", "0.0.0.0");
            opts.put("com.docker.network.bridge.name", defaultBridge.name());
            opts.put("com.docker.network.driver.mtu", "1500");
            store(new Network(newId(), Network.BRIDGE, "bridge", now(), subnet.toString(), gateway, null, false, false,
                    false, defaultBridge.name(), Map.of(), opts));
        }
        if (byName(Network.HOST).isEmpty()) {
            store(new Network(newId(), Network.HOST, "host", now(), null, null, null, false, false, false, null,
                    Map.of(), Map.of()));
        }
        if (byName(Network.NONE).isEmpty()) {
            store(new Network(newId(), Network.NONE, "null", now(), null, null, null, false, false, false, null,
                    Map.of(), Map.of()));
        }
    }

    private void store(Network n) {
        repo.insert(n);
        networks.put(n.id(), n);
    }

    // ---------------------------------------------------------------- networks

    /** By full ID, then by name, then by unique ID prefix, as dockerd looks networks up. */
    public synchronized Network get(String ref) {
        if (ref == null || ref.isEmpty()) {
            throw new EngineException.NotFound("network " + ref + " not found");
        }
        Network byId = networks.get(ref);
        if (byId != null) {
            return byId;
        }
        List<Network> named = networks.values().stream().filter(n -> n.name().equals(ref)).toList();
        if (named.size() == 1) {
            return named.get(0);
        }
        if (named.size() > 1) {
            throw new EngineException.InvalidParameter(named.size() + " matches found based on name: network " + ref
                    + " is ambiguous");
        }
        List<Network> prefixed = networks.values().stream().filter(n -> n.id().startsWith(ref)).toList();
        if (prefixed.size() == 1) {
            return prefixed.get(0);
        }
        if (prefixed.size() > 1) {
            throw new EngineException.InvalidParameter(prefixed.size() + " matches found based on ID prefix: network "
                    + ref + " is ambiguous");
        }
        throw new EngineException.NotFound("network " + ref + " not found");
    }

    private Optional<Network> byName(String name) {
        return networks.values().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** {@code docker network ls}: oldest first, filtered by driver, id, label, name, scope, type, dangling. */
    public synchronized List<Network> list(Map<String, List<String>> filters) {
        for (String k : filters.keySet()) {
            if (!LIST_FILTERS.contains(k)) {
                throw new EngineException.InvalidParameter("Invalid filter '" + k + "'");
            }
        }
        return networks.values().stream().filter(n -> matches(n, filters)).toList();
    }

    private boolean matches(Network n, Map<String, List<String>> f) {
        return any(f, "driver", v -> n.driver().equals(v))
                && any(f, "id", v -> n.id().startsWith(v))
                && any(f, "name", v -> n.name().contains(v))
                && any(f, "scope", v -> v.equals("local"))
                && any(f, "type", v -> v.equals("builtin") == n.predefined())
                && any(f, "dangling", v -> v.equals("true") == (!n.predefined() && members(n).isEmpty()))
                && allLabels(n, f.get("label"));
    }

    private static boolean any(Map<String, List<String>> f, String key, Predicate<String> p) {
        List<String> values = f.get(key);
        return values == null || values.isEmpty() || values.stream().anyMatch(p);
    }

    private static boolean allLabels(Network n, List<String> wanted) {
        if (wanted == null) {
            return true;
        }
        for (String w : wanted) {
            int eq = w.indexOf('=');
            String k = eq < 0 ? w : w.substring(0, eq);
            if (!n.labels().containsKey(k) || (eq >= 0 && !n.labels().get(k).equals(w.substring(eq + 1)))) {
                return false;
            }
        }
        return true;
    }

    /** {@code docker network create}: a user-defined bridge with an address pool of its own. */
    public synchronized Network create(NetworkRequests.Create req) {
        String name = req.name() == null ? "" : req.name().trim();
        if (name.isEmpty()) {
            throw new EngineException.InvalidParameter("network name cannot be empty");
        }
        String driver = req.driver() == null || req.driver().isEmpty() ? "bridge" : req.driver();
        if (driver.equals("host") || driver.equals("null")) {
            throw new EngineException.Forbidden("only one instance of \"" + driver + "\" network is allowed");
        }
        if (!driver.equals("bridge")) {
            throw new EngineException.NotFound("plugin \"" + driver + "\" not found");
        }
        if ((req.checkDuplicate() || name.equals(Network.BRIDGE) || name.equals(Network.HOST) || name.equals(Network.NONE))
                && byName(name).isPresent()) {
            throw new EngineException.Conflict("network with name " + name + " already exists");
        }
        if (req.enableIpv6()) {
            throw new EngineException.InvalidParameter("IPv6 networks are not supported by this engine");
        }
        if (req.ipam().size() > 1) {
            throw new EngineException.InvalidParameter("only one IPv4 pool per network is supported");
        }
        NetworkRequests.Pool pool = req.ipam().isEmpty() ? new NetworkRequests.Pool(null, null, null) : req.ipam().get(0);
        Ipv4Subnet subnet;
        if (pool.subnet() == null || pool.subnet().isEmpty()) {
            if (pool.ipRange() != null || pool.gateway() != null) {
                throw new EngineException.InvalidParameter("ip-range or gateway needs a subnet (--subnet)");
            }
            subnet = AddressPools.freeSubnet(networks.values().stream().filter(Network::hasAddresses)
                    .map(Network::ipv4Subnet).toList());
        } else {
            subnet = Ipv4Subnet.parse(pool.subnet());
            for (Network other : networks.values()) {
                if (other.hasAddresses() && other.ipv4Subnet().overlaps(subnet)) {
                    throw new EngineException.Forbidden("Pool overlaps with other one on this address space");
                }
            }
        }
        String gateway = Ipv4Subnet.format(subnet.host(1));
        if (pool.gateway() != null && !pool.gateway().isEmpty()) {
            if (!subnet.contains(pool.gateway())) {
                throw new EngineException.Forbidden("no matching subnet for gateway " + pool.gateway());
            }
            gateway = pool.gateway();
        }
        String ipRange = null;
        if (pool.ipRange() != null && !pool.ipRange().isEmpty()) {
            Ipv4Subnet range = Ipv4Subnet.parse(pool.ipRange());
            if (!subnet.overlaps(range) || range.prefix() < subnet.prefix()) {
                throw new EngineException.Forbidden("no matching subnet for range " + pool.ipRange());
            }
            ipRange = range.toString();
        }
        String id = newId();
        String bridge = req.options().getOrDefault("com.docker.network.bridge.name", "br-" + id.substring(0, 12));
        Network n = new Network(id, name, driver, now(), subnet.toString(), gateway, ipRange, req.internal(),
                req.attachable(), true, bridge, req.labels(), req.options());
        store(n);
        events.publish("network", "create", n.id(), Map.of("name", n.name(), "type", n.driver()));
        return n;
    }

    /** {@code docker network rm}. */
    public synchronized void remove(String ref) {
        Network n = get(ref);
        if (n.predefined()) {
            throw new EngineException.Forbidden(n.name() + " is a pre-defined network and cannot be removed");
        }
        if (members(n).stream().anyMatch(Endpoint::active)) {
            throw new EngineException.Forbidden("error while removing network: network " + n.name() + " id " + n.id()
                    + " has active endpoints");
        }
        // Stopped members lose the network, as with dockerd (their next start fails to find it).
        for (Endpoint e : members(n)) {
            repo.delete(e);
            endpoints.remove(key(e.containerId(), e.networkId()));
        }
        anchors.release(n);
        repo.delete(n);
        networks.remove(n.id());
        events.publish("network", "destroy", n.id(), Map.of("name", n.name(), "type", n.driver()));
    }

    /** {@code docker network prune}: user networks nobody runs on; returns their names. */
    public synchronized List<String> prune(Map<String, List<String>> filters) {
        List<String> deleted = new ArrayList<>();
        for (Network n : List.copyOf(networks.values())) {
            if (n.predefined() || members(n).stream().anyMatch(Endpoint::active)) {
                continue;
            }
            if (!allLabels(n, filters.get("label")) || !createdBefore(n, filters.get("until"))) {
                continue;
            }
            remove(n.id());
            deleted.add(n.name());
        }
        return deleted;
    }

    private static boolean createdBefore(Network n, List<String> until) {
        if (until == null || until.isEmpty()) {
            return true;
        }
        Instant created = Instant.parse(n.created());
        for (String u : until) {
            Instant limit;
            try {
                limit = u.matches("\\d+(\\.\\d+)?") ? Instant.ofEpochMilli((long) (Double.parseDouble(u) * 1000))
                        : u.matches("\\d+[smh]") ? Instant.now().minus(java.time.Duration.parse("PT" + u.toUpperCase()))
                        : Instant.parse(u);
            } catch (RuntimeException e) {
                throw new EngineException.InvalidParameter("invalid filter 'until=" + u + "'");
            }
            if (!created.isBefore(limit)) {
                return false;
            }
        }
        return true;
    }

    /** The endpoints of a network, oldest first. */
    public synchronized List<Endpoint> members(Network n) {
        return endpoints.values().stream().filter(e -> e.networkId().equals(n.id())).toList();
    }

    /** The endpoints of a container, in the order they were made (the first is its primary network). */
    public synchronized List<Endpoint> endpointsOf(String containerId) {
        return endpoints.values().stream().filter(e -> e.containerId().equals(containerId)).toList();
    }

    public synchronized Optional<Sandbox> sandbox(String containerId) {
        return repo.sandbox(containerId);
    }

    /** The network an endpoint belongs to, by ID (endpoints never outlive their network). */
    public synchronized Network byId(String networkId) {
        Network n = networks.get(networkId);
        if (n == null) {
            throw new EngineException.NotFound("network " + networkId + " not found");
        }
        return n;
    }

    // ---------------------------------------------------------------- connect / disconnect

    /** {@code docker network connect}: a running container is wired at once. */
    public synchronized void connect(String networkRef, String containerRef, NetworkRequests.Endpoint req) {
        Network n = get(networkRef);
        ContainerDirectory.Member m = containers.find(containerRef);
        refuseSpecialNetwork(n);
        if (sharesAnotherStack(m.networkMode())) {
            throw new EngineException.Forbidden("container sharing network namespace with another container or host"
                    + " cannot be connected to any other network");
        }
        if (endpoints.containsKey(key(m.id(), n.id()))) {
            throw new EngineException.Forbidden("endpoint with name " + m.name() + " already exists in network " + n.name());
        }
        Endpoint e = newMember(m.id(), m.name(), n, req);
        if (m.running()) {
            Sandbox sb = repo.sandbox(m.id()).orElseThrow(() -> new EngineException.Conflict(
                    "container " + m.id() + " has no network namespace to connect"));
            e = wire(m.id(), m.name(), Path.of(sb.netnsPath()), n, e, nextInterface(m.id()), List.of());
        }
        repo.save(e);
        endpoints.put(key(m.id(), n.id()), e);
        announce("connect", n, m.id());
    }

    /** {@code docker network disconnect}. */
    public synchronized void disconnect(String networkRef, String containerRef, boolean force) {
        Network n = get(networkRef);
        ContainerDirectory.Member m = containers.find(containerRef);
        refuseSpecialNetwork(n);
        Endpoint e = endpoints.get(key(m.id(), n.id()));
        if (e == null) {
            throw new EngineException.Forbidden("container " + m.id() + " is not connected to network " + n.name());
        }
        if (e.active()) {
            Sandbox sb = repo.sandbox(m.id()).orElse(null);
            if (sb != null) {
                unwire(Path.of(sb.netnsPath()), n, e, sb.portsNetwork().equals(n.id()) ? sb.ports() : List.of());
            }
        }
        repo.delete(e);
        endpoints.remove(key(m.id(), n.id()));
        announce("disconnect", n, m.id());
    }

    /** dockerd announces every endpoint going up or down, also at container start and stop. */
    private void announce(String action, Network n, String containerId) {
        events.publish("network", action, n.id(), Map.of("name", n.name(), "type", n.driver(), "container", containerId));
    }

    private static void refuseSpecialNetwork(Network n) {
        if (!n.hasAddresses()) {
            throw new EngineException.Forbidden("container cannot be disconnected from host network or connected to host"
                    + " network");
        }
    }

    // ---------------------------------------------------------------- container lifecycle

    /**
     * At container create: checks the network mode and the endpoint settings, and records the
     * container's membership of its networks (none for host, none and container:x).
     */
    public synchronized void join(String containerId, String containerName, String networkMode,
                                  Map<String, NetworkRequests.Endpoint> requested) {
        String mode = networkMode == null || networkMode.isEmpty() || networkMode.equals("default")
                ? Network.BRIDGE : networkMode;
        if (mode.startsWith("container:")) {
            containers.find(mode.substring("container:".length()));
            return;
        }
        if (mode.equals(Network.HOST) || mode.equals(Network.NONE)) {
            return;
        }
        Map<String, NetworkRequests.Endpoint> wanted = new LinkedHashMap<>();
        wanted.put(mode, NetworkRequests.Endpoint.NONE);
        Map<String, NetworkRequests.Endpoint> req = requested == null ? Map.of() : requested;
        req.forEach((k, v) -> {
            if (k.equals(mode) || (k.equals("default") && mode.equals(Network.BRIDGE))) {
                wanted.put(mode, v);
            } else {
                wanted.put(k, v);
            }
        });
        List<Endpoint> made = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (var w : wanted.entrySet()) {
            Network n;
            try {
                n = get(w.getKey());
            } catch (EngineException.NotFound e) {
                // Not a 404 here: the CLI takes a 404 from create for a missing image and pulls.
                throw new EngineException.InvalidParameter(e.getMessage());
            }
            if (!n.hasAddresses()) {
                throw new EngineException.InvalidParameter("container cannot be connected to network " + n.name()
                        + " and another network mode");
            }
            if (seen.add(n.id())) {
                made.add(newMember(containerId, containerName, n, w.getValue()));
            }
        }
        for (Endpoint e : made) {
            repo.save(e);
            endpoints.put(key(e.containerId(), e.networkId()), e);
        }
    }

    private Endpoint newMember(String containerId, String containerName, Network n, NetworkRequests.Endpoint req) {
        if (n.name().equals(Network.BRIDGE)) {
            if (!req.aliases().isEmpty()) {
                throw new EngineException.InvalidParameter("network-scoped alias is supported only for containers in user"
                        + " defined networks");
            }
            if (req.ipv4Address() != null) {
                throw new EngineException.InvalidParameter("user specified IP address is supported on user defined"
                        + " networks only");
            }
        }
        if (req.ipv4Address() != null) {
            Ipv4Subnet.address(req.ipv4Address());
            if (!n.ipv4Subnet().contains(req.ipv4Address())) {
                throw new EngineException.InvalidParameter("no configured subnet contains IP address "
                        + req.ipv4Address());
            }
        }
        return Endpoint.member(containerId, n.id(), containerName, req.aliases(), req.ipv4Address());
    }

    private static boolean sharesAnotherStack(String mode) {
        return mode != null && (mode.equals(Network.HOST) || mode.equals(Network.NONE) || mode.startsWith("container:"));
    }

    /**
     * At container start: the network stack runc should join. For bridge networks a new namespace
     * is made and each of the container's networks gives it an address at once (the first network
     * also publishes {@code requestedPorts}; host port 0: any free one), so the returned
     * {@link Wiring#sandbox()} is complete; netavark then wires the namespace in the background
     * (tens of ms of iptables calls), while the caller has runc create the container, which only
     * joins the namespace. {@link Wiring#await()} before the container's process starts. A failed
     * wiring undoes itself; once wired, {@link #detach} undoes it.
     */
    public synchronized Wiring attach(String containerId, String containerName, String networkMode,
                                      List<PortMapping> requestedPorts) {
        String mode = networkMode == null || networkMode.isEmpty() || networkMode.equals("default")
                ? Network.BRIDGE : networkMode;
        if (mode.equals(Network.HOST) || mode.equals(Network.NONE)) {
            // host-gateway still names the host: by the default bridge's address, as dockerd's docker0.
            Network bridge = get(Network.BRIDGE);
            anchors.ensure(bridge);
            return Wiring.done(new Sandbox(containerId, mode.equals(Network.HOST) ? "host" : null, false, List.of(), "",
                    "", bridge.gateway(), List.of()));
        }
        if (mode.startsWith("container:")) {
            return Wiring.done(joinOther(containerId, mode.substring("container:".length())));
        }
        List<Endpoint> mine = new ArrayList<>(endpointsOf(containerId));
        if (mine.isEmpty()) {
            throw new EngineException.NotFound("network " + mode + " not found");
        }
        if (repo.sandbox(containerId).isPresent()) {
            detach(containerId); // left by a stop whose teardown never ran (a crash): start afresh
            mine = new ArrayList<>(endpointsOf(containerId));
        }
        if (plainDefaultBridge(mode, mine, requestedPorts)) {
            Network bridge = byId(mine.get(0).networkId());
            Optional<NamespacePool.Entry> spare = spares.take();
            spares.refill(bridge, this::spareAddress);
            if (spare.isPresent()) {
                return Wiring.done(adopt(containerId, containerName, mine.get(0), bridge, spare.get()));
            }
        }
        // The network of --network is the primary one: eth0, the published ports, /etc/hosts.
        mine.sort(Comparator.comparing(e -> !isNamedBy(byId(e.networkId()), mode)));
        Path netns = namespaces.create(containerId);
        List<PortMapping> granted = List.of();
        List<Endpoint> addressed = new ArrayList<>();
        try {
            granted = ports.allocate(containerId, requestedPorts);
            for (Endpoint e : mine) {
                Network n = byId(e.networkId());
                String ip = AddressPools.address(n, e, occupants(n));
                Endpoint a = e.withAddress(containerName, ip, AddressPools.macFor(ip), newId(), "eth" + addressed.size());
                endpoints.put(key(containerId, a.networkId()), a); // taken from now on, persisted once wired
                addressed.add(a);
            }
        } catch (RuntimeException ex) {
            mine.forEach(e -> endpoints.put(key(containerId, e.networkId()), e));
            ports.release(containerId);
            namespaces.remove(netns);
            throw ex;
        }
        Endpoint primary = addressed.get(0);
        Network primaryNet = byId(primary.networkId());
        List<String> nameservers = new ArrayList<>();
        for (Endpoint e : addressed) {
            Network n = byId(e.networkId());
            if (n.dnsEnabled() && !nameservers.contains(n.gateway())) {
                nameservers.add(n.gateway());
            }
        }
        Sandbox sb = new Sandbox(containerId, netns.toString(), true, granted, primaryNet.id(), primary.ip(),
                primaryNet.gateway(), nameservers);
        List<Endpoint> before = List.copyOf(mine);
        return new Wiring(sb, CompletableFuture.runAsync(() -> wireAll(sb, before, addressed), wiringThread));
    }

    /**
     * Whether a start can take a namespace of the pool: only on the default bridge (no DNS, no
     * aliases, no static address there), with no ports to publish.
     */
    private boolean plainDefaultBridge(String mode, List<Endpoint> mine, List<PortMapping> requestedPorts) {
        if (!mode.equals(Network.BRIDGE) || mine.size() != 1 || !requestedPorts.isEmpty()) {
            return false;
        }
        Endpoint e = mine.get(0);
        Network n = byId(e.networkId());
        return n.name().equals(Network.BRIDGE) && !n.dnsEnabled() && e.aliases().isEmpty() && e.requestedIp() == null;
    }

    /** A start on a pooled namespace: the endpoint gets its address, as {@link #wireAll} records it. */
    private Sandbox adopt(String containerId, String containerName, Endpoint e, Network n, NamespacePool.Entry spare) {
        Endpoint a = e.withAddress(containerName, spare.ip(), AddressPools.macFor(spare.ip()), newId(), "eth0");
        Sandbox sb = new Sandbox(containerId, spare.netns().toString(), true, List.of(), n.id(), a.ip(), n.gateway(),
                List.of());
        repo.save(a);
        endpoints.put(key(containerId, a.networkId()), a);
        announce("connect", n, containerId);
        repo.save(sb);
        return sb;
    }

    /** The next free address of the default bridge for the pool (under this lock, as the pool calls it). */
    private String spareAddress(Network n) {
        anchors.ensure(n);
        return AddressPools.address(n, Endpoint.member("", n.id(), "", List.of(), null), occupants(n));
    }

    /** Whoever holds an address of {@code n}: its running members and the pool's spare namespaces. */
    private List<Endpoint> occupants(Network n) {
        List<Endpoint> all = new ArrayList<>(members(n));
        if (n.name().equals(Network.BRIDGE)) {
            for (String ip : spares.addresses()) {
                all.add(Endpoint.member("spare-" + ip, n.id(), "", List.of(), null)
                        .withAddress("", ip, AddressPools.macFor(ip), "", "eth0"));
            }
        }
        return all;
    }

    /** Has netavark wire each addressed endpoint of {@code sb}'s namespace; undoes it all on failure. */
    private synchronized void wireAll(Sandbox sb, List<Endpoint> before, List<Endpoint> addressed) {
        Path netns = Path.of(sb.netnsPath());
        List<Endpoint> wired = new ArrayList<>();
        try {
            for (Endpoint a : addressed) {
                wired.add(setUp(netns, byId(a.networkId()), a, wired.isEmpty() ? sb.ports() : List.of()));
            }
        } catch (RuntimeException ex) {
            for (int i = wired.size() - 1; i >= 0; i--) {
                Endpoint e = wired.get(i);
                unwire(netns, byId(e.networkId()), e, i == 0 ? sb.ports() : List.of());
            }
            for (Endpoint e : before) {
                endpoints.computeIfPresent(key(e.containerId(), e.networkId()), (k, v) -> e);
            }
            ports.release(sb.containerId());
            namespaces.remove(netns);
            throw ex;
        }
        for (Endpoint e : wired) {
            repo.save(e);
            endpoints.put(key(e.containerId(), e.networkId()), e);
            announce("connect", byId(e.networkId()), sb.containerId());
        }
        repo.save(sb);
    }

    /** A container's network stack being set up: its sandbox is known at once, the wiring follows. */
    public static final class Wiring {

        private static final long TIMEOUT_SECONDS = 120;

        private final Sandbox sandbox;
        private final CompletableFuture<Void> done;

        private Wiring(Sandbox sandbox, CompletableFuture<Void> done) {
            this.sandbox = sandbox;
            this.done = done;
        }

        static Wiring done(Sandbox sandbox) {
            return new Wiring(sandbox, CompletableFuture.completedFuture(null));
        }

        public Sandbox sandbox() {
            return sandbox;
        }

        /** Returns once the namespace is wired; throws the wiring's failure (which undid itself). */
        public void await() {
            try {
                done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new EngineException.SystemError(String.valueOf(e.getCause()), e.getCause());
            } catch (TimeoutException e) {
                throw new EngineException.SystemError("network setup did not finish in " + TIMEOUT_SECONDS + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException.SystemError("interrupted while setting up the network", e);
            }
        }

        /** Like {@link #await()} but for a start that failed anyway: waits, ignoring the outcome. */
        public void settle() {
            try {
                await();
            } catch (RuntimeException ignored) {
                // the start failed for another reason; the caller detaches whatever was wired
            }
        }
    }

    private static boolean isNamedBy(Network n, String ref) {
        return n.id().equals(ref) || n.name().equals(ref) || n.id().startsWith(ref);
    }

    /** {@code docker rename}: the new name resolves at once on the container's networks, the old one no more. */
    public synchronized void rename(String containerId, String newName) {
        for (Endpoint e : endpointsOf(containerId)) {
            Network n = byId(e.networkId());
            Endpoint renamed = new Endpoint(e.containerId(), e.networkId(), newName, e.aliases(), e.requestedIp(),
                    e.ip(), e.mac(), e.endpointId(), e.interfaceName());
            repo.save(renamed);
            endpoints.put(key(e.containerId(), e.networkId()), renamed);
            if (e.active() && n.dnsEnabled()) {
                try {
                    netavark.renameInDns(n, containerId, NetavarkBackend.dnsNames(containerId, newName, e.aliases()));
                } catch (RuntimeException ex) {
                    LOG.warn("{}", ex.getMessage());
                }
            }
        }
    }

    /** {@code --network container:x}: runc joins x's namespace, which x owns. */
    private Sandbox joinOther(String containerId, String otherRef) {
        ContainerDirectory.Member other = containers.find(otherRef);
        if (!other.running()) {
            throw new EngineException.Conflict("cannot join network of a non running container: " + other.id());
        }
        Optional<Sandbox> theirs = repo.sandbox(other.id());
        String path;
        if (Network.HOST.equals(other.networkMode())) {
            path = "host";
        } else if (theirs.isPresent() && theirs.get().owned()) {
            path = theirs.get().netnsPath();
        } else {
            path = "/proc/" + other.pid() + "/ns/net";
        }
        Sandbox sb = new Sandbox(containerId, path, false, List.of(), "",
                theirs.map(Sandbox::ipAddress).orElse(""), theirs.map(Sandbox::gateway).orElse(""),
                theirs.map(Sandbox::nameservers).orElse(List.of()));
        repo.save(sb);
        return sb;
    }

    /** Gives the endpoint an address and has netavark connect it; returns it with its address. */
    private Endpoint wire(String containerId, String containerName, Path netns, Network n, Endpoint e, String iface,
                         List<PortMapping> published) {
        String ip = AddressPools.address(n, e, occupants(n));
        return setUp(netns, n, e.withAddress(containerName, ip, AddressPools.macFor(ip), newId(), iface), published);
    }

    /** Has netavark connect an addressed endpoint; returns it with the MAC address it got. */
    private Endpoint setUp(Path netns, Network n, Endpoint addressed, List<PortMapping> published) {
        anchors.ensure(n);
        String mac = netavark.setup(netns, attachment(addressed.containerId(), addressed.containerName(), n, addressed,
                published));
        return mac.equals(addressed.mac()) ? addressed : addressed.withAddress(addressed.containerName(), addressed.ip(),
                mac, addressed.endpointId(), addressed.interfaceName());
    }

    private void unwire(Path netns, Network n, Endpoint e, List<PortMapping> published) {
        try {
            netavark.teardown(netns, attachment(e.containerId(), e.containerName(), n, e, published));
        } catch (RuntimeException ex) {
            LOG.warn("tearing down {} on network {}: {}", e.containerId().substring(0, 12), n.name(), ex.getMessage());
        }
        Endpoint released = e.released();
        if (endpoints.containsKey(key(e.containerId(), e.networkId()))) {
            repo.save(released);
            endpoints.put(key(e.containerId(), e.networkId()), released);
        }
    }

    private static NetavarkBackend.Attachment attachment(String containerId, String containerName, Network n,
                                                         Endpoint e, List<PortMapping> published) {
        List<String> names = n.dnsEnabled() ? NetavarkBackend.dnsNames(containerId, containerName, e.aliases()) : List.of();
        return new NetavarkBackend.Attachment(containerId, containerName, n, e, names, published);
    }

    private String nextInterface(String containerId) {
        Set<String> used = new HashSet<>();
        endpointsOf(containerId).forEach(e -> used.add(e.interfaceName()));
        for (int i = 0; ; i++) {
            if (!used.contains("eth" + i)) {
                return "eth" + i;
            }
        }
    }

    /**
     * When the container stops: runs {@code report} (the exit, told to clients), then
     * {@link #detach}es it, holding this service's lock throughout, so the client hears of the
     * exit without waiting for netavark while every later network call still sees the teardown done.
     */
    public synchronized void detachAfter(String containerId, Runnable report) {
        try {
            report.run();
        } finally {
            detach(containerId);
        }
    }

    /** When the container is removed: {@code report} (the removal), then {@link #forget}, as {@link #detachAfter}. */
    public synchronized void forgetAfter(String containerId, Runnable report) {
        try {
            report.run();
        } finally {
            forget(containerId);
        }
    }

    /**
     * When the container stops: unwires its networks, frees its addresses and ports, removes its
     * namespace. Safe to call when nothing is attached.
     */
    public synchronized void detach(String containerId) {
        Optional<Sandbox> found = repo.sandbox(containerId);
        if (found.isEmpty()) {
            return;
        }
        Sandbox sb = found.get();
        if (sb.owned()) {
            Path netns = Path.of(sb.netnsPath());
            List<Endpoint> mine = new ArrayList<>(endpointsOf(containerId));
            mine.sort(Comparator.comparing(Endpoint::interfaceName).reversed());
            for (Endpoint e : mine) {
                if (e.active()) {
                    unwire(netns, byId(e.networkId()), e, e.networkId().equals(sb.portsNetwork()) ? sb.ports() : List.of());
                    announce("disconnect", byId(e.networkId()), containerId);
                }
            }
            namespaces.remove(netns);
        }
        ports.release(containerId);
        repo.deleteSandbox(containerId);
    }

    /** When the container is removed: detached, and its memberships dropped. */
    public synchronized void forget(String containerId) {
        detach(containerId);
        for (Endpoint e : endpointsOf(containerId)) {
            repo.delete(e);
            endpoints.remove(key(e.containerId(), e.networkId()));
        }
    }

    /**
     * After an engine restart: stacks of containers that no longer run are taken down, and so are
     * the pool's spare namespaces that a killed engine left.
     */
    public synchronized void recover(Predicate<String> running) {
        for (Sandbox sb : repo.sandboxes()) {
            if (!running.test(sb.containerId())) {
                LOG.info("releasing the network of stopped container {}", sb.containerId().substring(0, 12));
                detach(sb.containerId());
            }
        }
        Set<String> held = new HashSet<>();
        for (Sandbox sb : repo.sandboxes()) {
            if (sb.owned()) {
                held.add(Path.of(sb.netnsPath()).getFileName().toString());
            }
        }
        spares.reclaim(get(Network.BRIDGE), held);
    }

    /**
     * At engine shutdown: bridges nothing runs on are taken down; those of running containers stay,
     * since the containers keep running without the engine.
     */
    public void shutdown() {
        Network bridge;
        synchronized (this) {
            bridge = get(Network.BRIDGE);
        }
        spares.close(bridge); // waits for a refill under way, which needs this lock
        releaseIdleBridges();
    }

    private synchronized void releaseIdleBridges() {
        for (Network n : networks.values()) {
            if (n.hasAddresses() && members(n).stream().noneMatch(Endpoint::active)) {
                anchors.release(n);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String key(String containerId, String networkId) {
        return containerId + "/" + networkId;
    }

    private static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String now() {
        return Instant.now().toString();
    }
}
