package dev.muelle.engine.image.registry;

import dev.muelle.engine.errors.EngineException;

import java.util.Locale;

/**
 * An OCI platform ({@code os/architecture[/variant]}), as {@code --platform} names it and image
 * indexes list it. Architectures are normalised the way containerd's platforms package does, so
 * {@code x86_64} is {@code amd64} and {@code aarch64} is {@code arm64}.
 */
public record Platform(String os, String architecture, String variant) {

    /** The host's platform: what a pull without {@code --platform} selects. */
    public static Platform host() {
        return new Platform("linux", normalArch(System.getProperty("os.arch")), null);
    }

    /** Parses {@code linux/arm64/v8}, {@code linux/amd64} or {@code arm64}; empty or null is the host. */
    public static Platform parse(String s) {
        if (s == null || s.isBlank()) {
            return host();
        }
        String[] p = s.toLowerCase(Locale.ROOT).split("/");
        if (p.length > 3 || p[0].isEmpty()) {
            throw new EngineException.InvalidParameter("\"" + s + "\": unknown operating system or architecture: invalid argument");
        }
        if (p.length == 1) {
            return new Platform("linux", normalArch(p[0]), null);
        }
        String variant = p.length == 3 ? p[2] : null;
        String arch = normalArch(p[1]);
        if (arch.equals("arm64") && "v8".equals(variant)) {
            variant = null; // arm64 has one variant in practice; indexes often omit it
        }
        return new Platform(p[0], arch, variant);
    }

    /** Whether an index entry's platform fields select this platform. */
    public boolean matches(String os, String architecture, String variant) {
        if (!this.os.equals(os) || !this.architecture.equals(normalArch(architecture))) {
            return false;
        }
        String v = "arm64".equals(this.architecture) && "v8".equals(variant) ? null : emptyToNull(variant);
        return this.variant == null || this.variant.equals(v);
    }

    private static String normalArch(String arch) {
        String a = arch == null ? "" : arch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "x86_64", "x86-64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "i386", "i686", "386" -> "386";
            default -> a;
        };
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
