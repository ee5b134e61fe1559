package dev.muelle.engine.container;

import dev.muelle.engine.errors.EngineException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** {@code docker ps --filter} semantics: values of one key are OR-ed, keys are AND-ed. */
final class ContainerFilters {

    private static final Set<String> KNOWN = Set.of("id", "name", "label", "status", "ancestor", "exited",
            "before", "since", "health", "isolation", "network", "publish", "expose", "volume", "is-task");

    private ContainerFilters() {
    }

    static void validate(Map<String, List<String>> filters) {
        for (String k : filters.keySet()) {
            if (!KNOWN.contains(k)) {
                throw new EngineException.InvalidParameter("invalid filter '" + k + "'");
            }
        }
        for (String s : filters.getOrDefault("status", List.of())) {
            if (!Set.of("created", "restarting", "running", "removing", "paused", "exited", "dead").contains(s)) {
                throw new EngineException.InvalidParameter("invalid filter 'status=" + s + "'");
            }
        }
        for (String h : filters.getOrDefault("health", List.of())) {
            if (!Set.of(Health.STARTING, Health.HEALTHY, Health.UNHEALTHY, "none").contains(h)) {
                throw new EngineException.InvalidParameter("Unrecognised filter value for health: " + h);
            }
        }
    }

    static boolean matches(Container c, Map<String, List<String>> f, Function<String, String> imageIdOf,
                           Function<String, Container> lookup) {
        if (!any(f, "id", v -> c.Id.startsWith(v))) {
            return false;
        }
        if (!any(f, "name", v -> c.bareName().matches(".*" + v + ".*"))) {
            return false;
        }
        if (!any(f, "status", v -> v.equals(c.State.Status))) {
            return false;
        }
        if (!any(f, "exited", v -> !c.State.Running && c.State.Status.equals("exited")
                && String.valueOf(c.State.ExitCode).equals(v))) {
            return false;
        }
        if (!any(f, "ancestor", v -> v.equals(c.Config.Image) || v.equals(c.Image)
                || c.Image.equals(imageIdOf.apply(v)) || c.Image.startsWith("sha256:" + v))) {
            return false;
        }
        if (!any(f, "health", v -> v.equals(c.State.Health == null ? "none" : c.State.Health.Status))) {
            return false;
        }
        if (!matchesLabels(c, f)) {
            return false;
        }
        if (f.containsKey("before")) {
            Container ref = lookup.apply(f.get("before").get(0));
            if (c.Created.compareTo(ref.Created) >= 0) {
                return false;
            }
        }
        if (f.containsKey("since")) {
            Container ref = lookup.apply(f.get("since").get(0));
            if (c.Created.compareTo(ref.Created) <= 0) {
                return false;
            }
        }
        return true;
    }

    /** label=key or label=key=value, all must match. */
    static boolean matchesLabels(Container c, Map<String, List<String>> f) {
        Map<String, String> labels = c.Config.Labels == null ? Map.of() : c.Config.Labels;
        for (String v : f.getOrDefault("label", List.of())) {
            int eq = v.indexOf('=');
            if (eq < 0 ? !labels.containsKey(v) : !v.substring(eq + 1).equals(labels.get(v.substring(0, eq)))) {
                return false;
            }
        }
        return true;
    }

    /** prune's until=<timestamp|duration>. */
    static boolean matchesUntil(Container c, Map<String, List<String>> f) {
        List<String> until = f.get("until");
        if (until == null || until.isEmpty()) {
            return true;
        }
        Instant limit = parseTime(until.get(0));
        return Instant.parse(c.Created).isBefore(limit);
    }

    /** Docker's time filter values: unix seconds (with fraction), RFC 3339, or a Go duration ago. */
    static Instant parseTime(String v) {
        try {
            if (v.matches("\\d+(\\.\\d+)?")) {
                double secs = Double.parseDouble(v);
                return Instant.ofEpochSecond((long) secs, (long) ((secs - Math.floor(secs)) * 1e9));
            }
            if (v.matches("\\d+[smh]")) {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                Duration d = switch (v.charAt(v.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
                return Instant.now().minus(d);
            }
            return Instant.parse(v);
        } catch (RuntimeException e) {
            throw new EngineException.InvalidParameter("failed to parse value as time or duration: \"" + v + "\"");
        }
    }

    private static boolean any(Map<String, List<String>> f, String key, java.util.function.Predicate<String> p) {
        List<String> values = f.get(key);
        return values == null || values.isEmpty() || values.stream().anyMatch(p);
    }
}
