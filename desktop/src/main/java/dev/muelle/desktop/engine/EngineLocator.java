package dev.muelle.desktop.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds the first engine that answers, trying ranked {@link EngineStrategy}s in order.
 *
 * <p>The outcome is either an endpoint that answered {@code /_ping} or, when none did, a message
 * that lists what was tried and what to do about each, so the "engine unreachable" page can say
 * more than "connection refused".
 */
public final class EngineLocator {

    private final List<EngineStrategy> strategies;
    private final Predicate<String> answers;

    /**
     * @param answers whether an endpoint answers {@code /_ping}; {@link SocketPing#answers} in the app
     */
    public EngineLocator(List<EngineStrategy> strategies, Predicate<String> answers) {
        this.strategies = List.copyOf(strategies);
        this.answers = answers;
    }

    /** What was found: an endpoint that answered, or the attempts that failed. */
    public record Outcome(String endpoint, String strategy, List<Attempt> attempts) {

        public boolean found() {
            return endpoint != null;
        }

        /** A multi-line explanation for the unreachable page; empty when an engine was found. */
        public String explanation() {
            if (found()) {
                return "";
            }
            if (attempts.isEmpty()) {
                return "No way to find an engine applies here. Start Muelle's engine with ./muelle up, "
                        + "or set DOCKER_HOST, or choose a socket in Settings.";
            }
            StringBuilder s = new StringBuilder("No engine answered. Tried:\n");
            for (Attempt a : attempts) {
                s.append("• ").append(a.strategy()).append(" (").append(a.endpoint()).append("): ")
                        .append(a.howToFix()).append('\n');
            }
            return s.toString().trim();
        }

        /** The endpoint the Start engine action should bring up: the first one tried. */
        public String preferredEndpoint() {
            return attempts.isEmpty() ? EngineStrategies.MUELLE_SOCKET : attempts.get(0).endpoint();
        }
    }

    /** One strategy whose candidate did not answer. */
    public record Attempt(String strategy, String endpoint, String howToFix) {
    }

    /** Try each applicable strategy in order; the same endpoint is tried once. Blocks on sockets. */
    public Outcome locate() {
        List<Attempt> attempts = new ArrayList<>();
        Set<String> tried = new LinkedHashSet<>();
        for (EngineStrategy strategy : strategies) {
            var candidate = strategy.candidate();
            if (candidate.isEmpty() || !tried.add(candidate.get())) {
                continue;
            }
            String endpoint = candidate.get();
            if (answers.test(endpoint)) {
                return new Outcome(endpoint, strategy.name(), attempts);
            }
            attempts.add(new Attempt(strategy.name(), endpoint, strategy.howToFix(endpoint)));
        }
        return new Outcome(null, null, attempts);
    }
}
