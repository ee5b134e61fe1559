package dev.muelle.engine.container;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.network.Sandbox;
import dev.muelle.engine.runtime.CreateOptions;
import dev.muelle.engine.runtime.OciSpecWriter;
import dev.muelle.engine.runtime.RuntimeSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's files outside its root filesystem, under {@code <data-root>/containers/<id>/}:
 * {@code hostname}, {@code hosts}, {@code resolv.conf} (bind-mounted into the container, as
 * dockerd does), {@code <id>-json.log} (written by conmon), and {@code bundle/config.json}, the
 * OCI bundle rebuilt at every start from the container's current settings.
 */
public final class ContainerFiles {

    private final Path containersDir;
    private final OciSpecWriter specWriter = new OciSpecWriter();
    private final ContainerMounts mounts;

    public ContainerFiles(Path containersDir) {
        this(containersDir, ContainerMounts.HOST_BINDS_ONLY);
    }

    public ContainerFiles(Path containersDir, ContainerMounts mounts) {
        this.containersDir = containersDir;
        this.mounts = mounts;
    }

    ContainerMounts mounts() {
        return mounts;
    }

    Path dir(Container c) {
        return containersDir.resolve(c.Id);
    }

    /** Where a shareable container's /dev/shm lives on the host while it runs (dockerd's mounts/shm). */
    Path shmPath(Container c) {
        return dir(c).resolve("mounts/shm");
    }

    /** Mounts a fresh tmpfs of the container's ShmSize for {@code --ipc shareable}. */
    void mountShareableShm(Container c) {
        Path shm = shmPath(c);
        unmountShm(c);
        try {
            Files.createDirectories(shm);
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot create " + shm + ": " + e.getMessage(), e);
        }
        long size = c.HostConfig.ShmSize == null || c.HostConfig.ShmSize <= 0
                ? RuntimeSpec.HostSettings.DEFAULT_SHM_SIZE : c.HostConfig.ShmSize;
        hostCommand("mount", "-t", "tmpfs", "-o", "nosuid,nodev,noexec,mode=1777,size=" + size, "shm", shm.toString());
    }

    /** Unmounts a shareable /dev/shm (at stop, as dockerd does); nothing when there is none. */
    void unmountShm(Container c) {
        Path shm = shmPath(c);
        if (Files.isDirectory(shm)) {
            try {
                hostCommand("mountpoint", "-q", shm.toString());
            } catch (EngineException.SystemError notMounted) {
                return;
            }
            hostCommand("umount", "-l", shm.toString());
        }
    }

    private static void hostCommand(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new EngineException.SystemError(String.join(" ", argv) + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new EngineException.SystemError(String.join(" ", argv) + " failed: " + out.trim());
            }
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot run " + argv[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.SystemError("interrupted while running " + argv[0], e);
        }
    }

    void prepare(Container c) {
        Path dir = dir(c);
        try {
            Files.createDirectories(dir);
            c.HostnamePath = write(dir.resolve("hostname"), c.Config.Hostname + "\n");
            c.HostsPath = write(dir.resolve("hosts"), hosts(c, null));
            c.ResolvConfPath = write(dir.resolve("resolv.conf"), resolvConf(c, null));
            c.LogPath = dir.resolve(c.Id + "-json.log").toString();
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot prepare container files in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** At each start: /etc/hosts and /etc/resolv.conf for the addresses the container got this time. */
    void writeNetworkFiles(Container c, Sandbox sandbox) {
        try {
            write(Path.of(c.HostsPath), hosts(c, sandbox));
            write(Path.of(c.ResolvConfPath), resolvConf(c, sandbox));
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot write network files of " + c.Id + ": " + e.getMessage(), e);
        }
    }

    private static String write(Path p, String content) throws IOException {
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p.toString();
    }

    /**
     * Docker's layout: the fixed entries, --add-host entries, then the container's own address.
     * With the host's network the host's own /etc/hosts replaces the fixed entries, as in dockerd.
     */
    private static String hosts(Container c, Sandbox sandbox) throws IOException {
        StringBuilder sb = new StringBuilder();
        Path hostHosts = Path.of("/etc/hosts");
        if (sandbox != null && RuntimeSpec.HOST_NETWORK.equals(sandbox.netnsPath()) && Files.isReadable(hostHosts)) {
            String own = Files.readString(hostHosts);
            sb.append(own).append(own.endsWith("\n") || own.isEmpty() ? "" : "\n");
            extraHosts(c, sandbox, sb);
            return sb.toString();
        }
        sb.append("127.0.0.1\tlocalhost\n");
        sb.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        sb.append("fe00::0\tip6-localnet\n");
        sb.append("ff00::0\tip6-mcastprefix\n");
        sb.append("ff02::1\tip6-allnodes\n");
        sb.append("ff02::2\tip6-allrouters\n");
        extraHosts(c, sandbox, sb);
        if (sandbox != null && !sandbox.ipAddress().isEmpty()) {
            sb.append(sandbox.ipAddress()).append('\t').append(c.Config.Hostname).append('\n');
        } else if (!"host".equals(c.HostConfig.NetworkMode)) {
            sb.append("127.0.1.1\t").append(c.Config.Hostname).append('\n');
        }
        return sb.toString();
    }

    private static void extraHosts(Container c, Sandbox sandbox, StringBuilder sb) {
        if (c.HostConfig.ExtraHosts != null) {
            for (String h : c.HostConfig.ExtraHosts) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    String address = h.substring(colon + 1);
                    // host-gateway: the host as the container reaches it, its network's gateway.
                    if (address.equals("host-gateway") && sandbox != null && !sandbox.gateway().isEmpty()) {
                        address = sandbox.gateway();
                    }
                    sb.append(address).append('\t').append(h, 0, colon).append('\n');
                }
            }
        }
    }

    /**
     * The host's resolv.conf without loopback resolvers (unreachable from a container), as dockerd
     * does. On networks that resolve container names the nameserver is the embedded DNS: dockerd
     * answers on 127.0.0.11 inside the container, aardvark-dns on the network's gateway.
     */
    private static String resolvConf(Container c, Sandbox sandbox) throws IOException {
        List<String> dns = c.HostConfig.Dns;
        List<String> out = new ArrayList<>();
        if (sandbox != null && !sandbox.nameservers().isEmpty()) {
            sandbox.nameservers().forEach(d -> out.add("nameserver " + d));
            if (dns != null) {
                dns.forEach(d -> out.add("nameserver " + d));
            }
            hostLines("search").forEach(out::add);
            out.add("options ndots:0");
        } else if (dns != null && !dns.isEmpty()) {
            dns.forEach(d -> out.add("nameserver " + d));
        } else {
            Path host = Path.of("/etc/resolv.conf");
            if (Files.isReadable(host)) {
                for (String line : Files.readAllLines(host)) {
                    String t = line.trim();
                    if (t.startsWith("nameserver") && (t.contains(" 127.") || t.contains(" ::1"))
                            && !"host".equals(c.HostConfig.NetworkMode)) {
                        continue;
                    }
                    if (t.startsWith("nameserver") || t.startsWith("search") || t.startsWith("options")) {
                        out.add(t);
                    }
                }
            }
            if (out.stream().noneMatch(l -> l.startsWith("nameserver"))) {
                out.add("nameserver 8.8.8.8");
                out.add("nameserver 8.8.4.4");
            }
        }
        if (c.HostConfig.DnsSearch != null && !c.HostConfig.DnsSearch.isEmpty()) {
            out.removeIf(l -> l.startsWith("search"));
            out.add("search " + String.join(" ", c.HostConfig.DnsSearch));
        }
        if (c.HostConfig.DnsOptions != null && !c.HostConfig.DnsOptions.isEmpty()) {
            out.removeIf(l -> l.startsWith("options"));
            out.add("options " + String.join(" ", c.HostConfig.DnsOptions));
        }
        return String.join("\n", out) + "\n";
    }

    private static List<String> hostLines(String keyword) throws IOException {
        Path host = Path.of("/etc/resolv.conf");
        List<String> out = new ArrayList<>();
        if (Files.isReadable(host)) {
            for (String line : Files.readAllLines(host)) {
                if (line.trim().startsWith(keyword)) {
                    out.add(line.trim());
                }
            }
        }
        return out;
    }

    Path bundleDir(Container c) {
        return dir(c).resolve("bundle");
    }

    CreateOptions createOptions(Container c) {
        // With a TTY, dockerd never closes the container's stdin when a client goes (so Ctrl-P
        // Ctrl-Q leaves `docker run -it` running); conmon must leave it open too.
        return new CreateOptions(c.Config.tty(), c.Config.openStdin(), c.Config.stdinOnce() && !c.Config.tty(),
                Path.of(c.LogPath), c.bareName());
    }

    /** Writes bundle/config.json for the container's current settings over {@code rootfs}. */
    void writeRuntimeConfig(Container c, Path rootfs, Path bundle, Sandbox sandbox, RuntimeSpec.HostSettings host) {
        HostConfig hc = c.HostConfig;
        List<String> args = new ArrayList<>();
        args.add(c.Path);
        args.addAll(c.Args);
        RuntimeSpec.Builder b = RuntimeSpec.builder(c.Id, rootfs)
                .args(args)
                .env(c.Config.Env)
                .cwd(c.Config.WorkingDir)
                .user(c.Config.User)
                .hostname(c.Config.Hostname)
                .domainname(c.Config.Domainname)
                .tty(c.Config.tty())
                .openStdin(c.Config.openStdin())
                .resources(resources(hc))
                .privileged(hc.privileged())
                .capAdd(hc.CapAdd)
                .capDrop(hc.CapDrop)
                .readonlyRootfs(Boolean.TRUE.equals(hc.ReadonlyRootfs))
                .init(Boolean.TRUE.equals(hc.Init))
                .cgroupsPath(c.CgroupsPath)
                .groupAdd(hc.GroupAdd)
                .seccompUnconfined(hc.SecurityOpt != null && hc.SecurityOpt.stream()
                        .anyMatch(o -> o.replace('=', ':').equals("seccomp:unconfined")))
                .netnsPath(sandbox == null ? null : sandbox.netnsPath())
                .host(host);
        if (hc.Ulimits != null) {
            for (HostConfig.Ulimit u : hc.Ulimits) {
                b.ulimit(new RuntimeSpec.Ulimit(u.Name, nz(u.Soft), nz(u.Hard)));
            }
        }
        if (hc.Sysctls != null) {
            hc.Sysctls.forEach(b::sysctl);
        }
        b.mount(RuntimeSpec.OciMount.bind(Path.of(c.ResolvConfPath), "/etc/resolv.conf", false));
        b.mount(RuntimeSpec.OciMount.bind(Path.of(c.HostnamePath), "/etc/hostname", false));
        b.mount(RuntimeSpec.OciMount.bind(Path.of(c.HostsPath), "/etc/hosts", false));
        for (RuntimeSpec.OciMount m : mounts.runtimeMounts(c, rootfs)) {
            b.mount(m);
        }
        specWriter.write(b.build(), bundle);
    }

    void remove(Container c) {
        ContainerService.deleteTree(dir(c));
    }

    /** The container's resource limits as the runtime takes them, at start and at {@code docker update}. */
    static RuntimeSpec.Resources resources(HostConfig hc) {
        return new RuntimeSpec.Resources(hc.memory(), nz(hc.MemorySwap), nz(hc.NanoCpus), nz(hc.CpuShares),
                nz(hc.CpuQuota), nz(hc.CpuPeriod), hc.CpusetCpus, hc.PidsLimit);
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }
}
