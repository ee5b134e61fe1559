package dev.muelle.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the engine listens and keeps its state.
 *
 * @param socket   the API's unix socket ({@code --host unix://PATH})
 * @param dataRoot persistent state: metadata, images, containers ({@code --data-root})
 * @param execRoot runtime state that dies with the host: runc and conmon files ({@code --exec-root})
 * @param bridge   the default bridge network's Linux bridge ({@code --bridge}, as dockerd's)
 * @param bip      its address and prefix, e.g. 10.88.0.1/16 ({@code --bip}, as dockerd's); both
 *                 apply when the default network is first made in a data root
 * @param insecureRegistries registries reached over plain HTTP or unverified TLS besides loopback
 *                           ({@code --insecure-registry}, repeatable: host[:port] or CIDR)
 * @param registryCertsDir   where {@code <host:port>/ca.crt} files are looked up first
 *                           ({@code --registry-certs-dir}, default {@code <data-root>/certs.d});
 *                           {@code /etc/docker/certs.d} is always looked at after it
 */
public record EngineConfig(Path socket, Path dataRoot, Path execRoot, String bridge, String bip,
                           List<String> insecureRegistries, Path registryCertsDir) {

    public static final String USAGE = """
            Usage: muelled [--host unix://PATH] [--data-root DIR] [--exec-root DIR] [--bridge NAME] [--bip CIDR]
                           [--insecure-registry HOST[:PORT]|CIDR]... [--registry-certs-dir DIR]

              --host       API socket (default unix:///run/muelle/muelle.sock)
              --data-root  persistent state (default /var/lib/muelle)
              --exec-root  runtime state (default /run/muelle)
              --bridge     the default network's bridge (default muelle0)
              --bip        the default network's gateway/prefix (default 10.88.0.1/16)
              --insecure-registry   allow plain HTTP / unverified TLS (loopback always is)
              --registry-certs-dir  per-registry CA certificates, <DIR>/<host:port>/ca.crt
                                    (default <data-root>/certs.d, then /etc/docker/certs.d)
            """;

    public static EngineConfig parse(String[] args) {
        Path socket = Path.of("/run/muelle/muelle.sock");
        Path dataRoot = Path.of("/var/lib/muelle");
        Path execRoot = Path.of("/run/muelle");
        String bridge = "muelle0";
        String bip = "10.88.0.1/16";
        List<String> insecure = new ArrayList<>();
        Path certsDir = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
            String key = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (key.equals("-h") || key.equals("--help")) {
                throw new IllegalArgumentException("");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(key + " needs a value");
                }
                value = args[++i];
            }
            switch (key) {
                case "--host", "-H" -> {
                    if (!value.startsWith("unix://")) {
                        throw new IllegalArgumentException("--host must be unix://PATH, got " + value);
                    }
                    socket = Path.of(value.substring("unix://".length()));
                }
                case "--data-root" -> dataRoot = Path.of(value);
                case "--exec-root" -> execRoot = Path.of(value);
                case "--bridge" -> bridge = value;
                case "--bip" -> bip = value;
                case "--insecure-registry" -> insecure.add(value);
                case "--registry-certs-dir" -> certsDir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + key);
            }
        }
        if (bridge.isEmpty() || bridge.length() > 15) {
            throw new IllegalArgumentException("--bridge must be a network interface name of 1 to 15 characters");
        }
        Path data = dataRoot.toAbsolutePath();
        return new EngineConfig(socket.toAbsolutePath(), data, execRoot.toAbsolutePath(), bridge, bip,
                List.copyOf(insecure), certsDir == null ? data.resolve("certs.d") : certsDir.toAbsolutePath());
    }
}
