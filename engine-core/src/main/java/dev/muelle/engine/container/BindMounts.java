package dev.muelle.engine.container;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.runtime.RuntimeSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code HostConfig.Binds} entries of the host-path form {@code /host:/ctr[:ro|rw]}. Named
 * volumes ({@code name:/ctr}) belong to the volume service, which does not exist yet.
 */
final class BindMounts {

    private BindMounts() {
    }

    static List<RuntimeSpec.OciMount> parse(List<String> binds) {
        List<RuntimeSpec.OciMount> out = new ArrayList<>();
        if (binds == null) {
            return out;
        }
        for (String bind : binds) {
            String[] parts = bind.split(":");
            if (parts.length < 2 || parts.length > 3) {
                throw new EngineException.InvalidParameter("invalid volume specification: '" + bind + "'");
            }
            if (!parts[0].startsWith("/")) {
                throw new EngineException.NotImplemented("named volumes are not supported yet: '" + bind + "'");
            }
            if (!parts[1].startsWith("/")) {
                throw new EngineException.InvalidParameter("invalid volume specification: '" + bind
                        + "': invalid mount config for type \"bind\": invalid mount path: '" + parts[1] + "' mount path must be absolute");
            }
            Path source = Path.of(parts[0]);
            if (!Files.exists(source)) {
                // -v creates a missing host directory, as dockerd does (--mount would refuse).
                try {
                    Files.createDirectories(source);
                } catch (java.io.IOException e) {
                    throw new EngineException.InvalidParameter("error while creating mount source path '" + source + "': " + e.getMessage());
                }
            }
            boolean ro = parts.length == 3 && List.of(parts[2].split(",")).contains("ro");
            out.add(RuntimeSpec.OciMount.bind(source, parts[1], ro));
        }
        return out;
    }
}
