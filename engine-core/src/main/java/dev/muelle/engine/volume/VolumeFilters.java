package dev.muelle.engine.volume;

import dev.muelle.engine.errors.EngineException;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code filters} of volume list and prune: {@code name} (substring), {@code driver},
 * {@code dangling} (no container uses it), {@code label} / {@code label!} ({@code key} or
 * {@code key=value}), and prune's {@code all}. Unknown keys are refused as dockerd does.
 */
record VolumeFilters(Map<String, List<String>> f) {

    static VolumeFilters of(Map<String, List<String>> filters, Set<String> allowed) {
        for (String k : filters.keySet()) {
            if (!allowed.contains(k)) {
                throw new EngineException.InvalidParameter("invalid filter '" + k + "'");
            }
        }
        for (String v : filters.getOrDefault("dangling", List.of())) {
            if (!List.of("true", "false", "1", "0").contains(v)) {
                throw new EngineException.InvalidParameter("invalid filter 'dangling=" + v + "'");
            }
        }
        return new VolumeFilters(filters);
    }

    boolean all(boolean dflt) {
        List<String> v = f.get("all");
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        String s = v.get(0).toLowerCase();
        if (!List.of("true", "false", "1", "0").contains(s)) {
            throw new EngineException.InvalidParameter("invalid filter 'all=" + v.get(0) + "': invalid value");
        }
        return s.equals("true") || s.equals("1");
    }

    boolean matches(Volume v, boolean unused) {
        return any("name", n -> v.name().contains(n))
                && any("driver", d -> v.driver().equals(d))
                && any("dangling", d -> (d.equals("true") || d.equals("1")) == unused)
                && every("label", l -> hasLabel(v, l))
                && every("label!", l -> !hasLabel(v, l));
    }

    private static boolean hasLabel(Volume v, String l) {
        Map<String, String> labels = v.labels() == null ? Map.of() : v.labels();
        int eq = l.indexOf('=');
        return eq < 0 ? labels.containsKey(l) : l.substring(eq + 1).equals(labels.get(l.substring(0, eq)));
    }

    private boolean any(String key, java.util.function.Predicate<String> p) {
        List<String> vs = f.get(key);
        return vs == null || vs.isEmpty() || vs.stream().anyMatch(p);
    }

    private boolean every(String key, java.util.function.Predicate<String> p) {
        List<String> vs = f.get(key);
        return vs == null || vs.stream().allMatch(p);
    }
}
