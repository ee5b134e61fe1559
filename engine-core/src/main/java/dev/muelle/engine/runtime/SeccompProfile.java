package dev.muelle.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;

/**
 * A seccomp profile in Docker's format (the one {@code --security-opt seccomp=FILE} takes:
 * {@code archMap}, and syscall rules with {@code includes}/{@code excludes} conditions on
 * architecture, capabilities and kernel version) and its conversion to the OCI
 * {@code linux.seccomp} object runc applies.
 *
 * <p>The conversion follows moby's {@code profiles/seccomp.setupSeccomp}: keep the architectures
 * the native one maps to, and keep a rule only when its conditions hold for this container, so
 * e.g. {@code --cap-add SYS_ADMIN} lets {@code mount} through as on Docker.
 */
public final class SeccompProfile {

    private static final String DOCKER_DEFAULT_RESOURCE = "seccomp-default.json";

    /** Go architecture name → libseccomp's name of the native architecture. */
    private static final Map<String, String> NATIVE_ARCH = Map.of(
            "amd64", "SCMP_ARCH_X86_64",
            "arm64", "SCMP_ARCH_AARCH64",
            "386", "SCMP_ARCH_X86",
            "arm", "SCMP_ARCH_ARM",
            "s390x", "SCMP_ARCH_S390X",
            "ppc64le", "SCMP_ARCH_PPC64LE",
            "riscv64", "SCMP_ARCH_RISCV64");

    private static volatile SeccompProfile dockerDefault;

    private final JsonNode profile;

    private SeccompProfile(JsonNode profile) {
        this.profile = profile;
    }

    /** Docker's default profile (moby v27.5.1 profiles/seccomp/default.json, shipped as a resource). */
    public static SeccompProfile dockerDefault() {
        SeccompProfile loaded = dockerDefault;
        if (loaded == null) {
            try (InputStream in = SeccompProfile.class.getResourceAsStream(DOCKER_DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + DOCKER_DEFAULT_RESOURCE);
                }
                loaded = new SeccompProfile(Json.parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read Docker's default seccomp profile", e);
            }
            dockerDefault = loaded;
        }
        return loaded;
    }

    /** A profile given in Docker's JSON format. */
    public static SeccompProfile of(JsonNode dockerFormat) {
        return new SeccompProfile(dockerFormat.deepCopy());
    }

    /**
     * The OCI {@code linux.seccomp} object for a container with these (bounding) capabilities on
     * a host with this architecture and kernel.
     *
     * @param goArch the host architecture in Go's words ("amd64")
     * @param kernelRelease {@code uname -r}, e.g. "6.1.0-18-amd64"
     */
    public ObjectNode toOci(Collection<String> capabilities, String goArch, String kernelRelease) {
        ObjectNode oci = JsonNodeFactory.instance.objectNode();
        oci.put("defaultAction", profile.path("defaultAction").asText());
        if (profile.hasNonNull("defaultErrnoRet")) {
            oci.put("defaultErrnoRet", profile.get("defaultErrnoRet").asInt());
        }
        ArrayNode architectures = oci.putArray("architectures");
        String nativeArch = NATIVE_ARCH.getOrDefault(goArch, goArch);
        for (JsonNode entry : profile.path("archMap")) {
            if (entry.path("architecture").asText().equals(nativeArch)) {
                architectures.add(nativeArch);
                entry.path("subArchitectures").forEach(architectures::add);
            }
        }
        int[] kernel = kernelVersion(kernelRelease);
        ArrayNode syscalls = oci.putArray("syscalls");
        for (JsonNode rule : profile.path("syscalls")) {
            if (applies(rule, capabilities, goArch, kernel)) {
                ObjectNode out = syscalls.addObject();
                out.set("names", rule.get("names").deepCopy());
                out.put("action", rule.path("action").asText());
                if (rule.hasNonNull("errnoRet")) {
                    out.put("errnoRet", rule.get("errnoRet").asInt());
                }
                if (rule.path("args").isArray() && !rule.path("args").isEmpty()) {
                    out.set("args", rule.get("args").deepCopy());
                }
            }
        }
        return oci;
    }

    private static boolean applies(JsonNode rule, Collection<String> caps, String arch, int[] kernel) {
        JsonNode excludes = rule.path("excludes");
        if (contains(excludes.path("arches"), arch)) {
            return false;
        }
        for (JsonNode cap : excludes.path("caps")) {
            if (caps.contains(cap.asText())) {
                return false;
            }
        }
        if (excludes.hasNonNull("minKernel") && atLeast(kernel, excludes.get("minKernel").asText())) {
            return false;
        }
        JsonNode includes = rule.path("includes");
        if (!includes.path("arches").isEmpty() && !contains(includes.path("arches"), arch)) {
            return false;
        }
        for (JsonNode cap : includes.path("caps")) {
            if (!caps.contains(cap.asText())) {
                return false;
            }
        }
        return !includes.hasNonNull("minKernel") || atLeast(kernel, includes.get("minKernel").asText());
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (item.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean atLeast(int[] kernel, String minimum) {
        int[] min = kernelVersion(minimum);
        return kernel[0] != min[0] ? kernel[0] > min[0] : kernel[1] >= min[1];
    }

    /** Major and minor of a kernel release string ("6.1.0-18-amd64" → 6, 1). */
    static int[] kernelVersion(String release) {
        String[] parts = release.split("[^0-9]+", 3);
        int major = parts.length > 0 && !parts[0].isEmpty() ? Integer.parseInt(parts[0]) : 0;
        int minor = parts.length > 1 && !parts[1].isEmpty() ? Integer.parseInt(parts[1]) : 0;
        return new int[] {major, minor};
    }
}
