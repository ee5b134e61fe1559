package dev.muelle.engine.network;

import dev.muelle.engine.system.IdlePools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A few network namespaces wired to the default bridge ahead of time, so that the commonest start
 * (default bridge, no published ports; it allows no static address, MAC or alias) skips netavark,
 * whose ~24 iptables runs are the whole critical path of a start (90 ms quiet, over 1 s loaded).
 *
 * <p>An entry is a namespace {@code <exec-root>/netns/pool-<ip>-<random>} that netavark connected
 * on {@code <ip>} with that address's usual MAC, exactly as it would a container's; a start
 * {@link #take}s one and the container's endpoint gets that address, its sandbox that namespace,
 * which from then on is the container's and is torn down with it. Entries are no endpoints: users
 * never see them, but the service's address management counts their {@link #addresses}.
 *
 * <p>Lifecycle: empty until the first such start {@link #refill}s it; refilled one entry at a time
 * on a thread of its own that ends when idle, netavark niced; never refilled once {@link #close}
 * began, which tears the entries down. After a crash, {@link #reclaim} at start-up tears down the
 * entries no container took (the address is in the file name, so teardown needs no other record).
 *
 * <p>Thread-safety: guarded by the lock of the {@link NetworkService} that owns it (passed in), as
 * is the address choice; netavark runs outside it.
 */
final class NamespacePool {

    private static final Logger LOG = LoggerFactory.getLogger(NamespacePool.class);

    static final int SIZE = 2;
    private static final String PREFIX = "pool-";
    private static final long CLOSE_WAIT_SECONDS = 30;

    /** A wired namespace and the address it holds on the default bridge. */
    record Entry(Path netns, String ip) {
    }

    private final Object lock;
    private final NetnsManager namespaces;
    private final NetavarkBackend netavark;
    private final ExecutorService thread = IdlePools.single("network-pool");
    private final Deque<Entry> ready = new ArrayDeque<>();
    private Entry wiring;
    private boolean filling;
    private boolean closing;
    private CompletableFuture<Void> task = CompletableFuture.completedFuture(null);

    NamespacePool(Object lock, NetnsManager namespaces, NetavarkBackend netavark) {
        this.lock = lock;
        this.namespaces = namespaces;
        this.netavark = netavark;
    }

    /** A wired namespace, now the caller's, or empty. */
    Optional<Entry> take() {
        return Optional.ofNullable(ready.pollFirst());
    }

    /** The addresses entries hold (or are being given): taken for everybody else. */
    List<String> addresses() {
        List<String> out = new ArrayList<>();
        ready.forEach(e -> out.add(e.ip()));
        if (wiring != null) {
            out.add(wiring.ip());
        }
        return out;
    }

    /**
     * Tops the pool up in the background unless it is full, filling or closing. {@code address}
     * picks the next free address of {@code bridge}, counting {@link #addresses}; it runs under the lock.
     */
    void refill(Network bridge, Function<Network, String> address) {
        if (closing || filling || ready.size() >= SIZE) {
            return;
        }
        filling = true;
        task = CompletableFuture.runAsync(() -> {
            Thread.currentThread().setPriority(Thread.MIN_PRIORITY);
            while (addOne(bridge, address)) {
                // one at a time, until full
            }
        }, thread);
    }

    /** Wires one entry; false when full, closing or failed (the next start tries again). */
    private boolean addOne(Network bridge, Function<Network, String> address) {
        Entry e;
        synchronized (lock) {
            if (closing || ready.size() >= SIZE) {
                filling = false;
                return false;
            }
            String ip;
            try {
                ip = address.apply(bridge);
            } catch (RuntimeException ex) {
                LOG.debug("no address for a spare network namespace: {}", ex.getMessage());
                filling = false;
                return false; // the bridge is full: starts take today's path
            }
            e = new Entry(namespaces.pathFor(PREFIX + ip + "-" + Long.toHexString(System.nanoTime() & 0xffffffL)), ip);
            wiring = e;
        }
        try {
            namespaces.create(e.netns().getFileName().toString());
            netavark.setup(e.netns(), attachment(bridge, e), true);
        } catch (RuntimeException ex) {
            LOG.warn("cannot wire a spare network namespace for fast starts: {}", ex.getMessage());
            namespaces.remove(e.netns());
            synchronized (lock) {
                wiring = null;
                filling = false;
            }
            return false;
        }
        synchronized (lock) {
            wiring = null;
            ready.addLast(e); // even when closing: close() waits for this and tears it down
            filling = !closing;
            return filling;
        }
    }

    /**
     * At engine shutdown (called without the lock): no more refills; waits for the one under way
     * and tears every entry down. An entry left by a timeout is reclaimed at the next start-up.
     */
    void close(Network bridge) {
        CompletableFuture<Void> running;
        synchronized (lock) {
            closing = true;
            running = task;
        }
        try {
            running.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("the spare network namespace under way did not finish: {}", String.valueOf(e));
        }
        synchronized (lock) {
            for (Entry e = ready.pollFirst(); e != null; e = ready.pollFirst()) {
                tearDown(bridge, e);
            }
        }
        thread.shutdown();
    }

    /**
     * At start-up, before any start: entries of an engine that was killed, those no container's
     * sandbox holds ({@code inUse}: namespace file names), are torn down, freeing their addresses.
     */
    void reclaim(Network bridge, Set<String> inUse) {
        Path dir = namespaces.pathFor(PREFIX).getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> strays;
        try (Stream<Path> files = Files.list(dir)) {
            strays = files.filter(p -> p.getFileName().toString().startsWith(PREFIX)
                    && !inUse.contains(p.getFileName().toString())).toList();
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", dir, e.getMessage());
            return;
        }
        for (Path p : strays) {
            String rest = p.getFileName().toString().substring(PREFIX.length());
            int dash = rest.lastIndexOf('-');
            LOG.info("releasing spare network namespace {} left by the previous engine", p.getFileName());
            tearDown(bridge, new Entry(p, dash < 0 ? rest : rest.substring(0, dash)));
        }
    }

    private void tearDown(Network bridge, Entry e) {
        try {
            Ipv4Subnet.address(e.ip());
            netavark.teardown(e.netns(), attachment(bridge, e));
        } catch (RuntimeException ex) {
            LOG.warn("tearing down spare network namespace {}: {}", e.netns().getFileName(), ex.getMessage());
        }
        namespaces.remove(e.netns());
    }

    /** netavark's view of an entry: no name, no DNS, no ports, the address's usual MAC on eth0. */
    private static NetavarkBackend.Attachment attachment(Network bridge, Entry e) {
        String id = e.netns().getFileName().toString();
        Endpoint ep = Endpoint.member(id, bridge.id(), id, List.of(), null)
                .withAddress(id, e.ip(), AddressPools.macFor(e.ip()), "", "eth0");
        return new NetavarkBackend.Attachment(id, id, bridge, ep, List.of(), List.of());
    }
}
