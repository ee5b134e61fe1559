package dev.muelle.engine.events;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Publishes engine events to live subscribers and keeps the most recent ones so
 * {@code docker events --since} can replay them (dockerd keeps a similar in-memory window).
 */
public final class EventBus {

    private static final int KEEP = 1024;

    private final ArrayDeque<Event> recent = new ArrayDeque<>();
    private final List<BlockingQueue<Event>> subscribers = new CopyOnWriteArrayList<>();

    public void publish(String type, String action, String id, Map<String, String> attributes) {
        Instant now = Instant.now();
        Event e = new Event(type, action, id, Map.copyOf(attributes),
                now.getEpochSecond() * 1_000_000_000L + now.getNano());
        synchronized (recent) {
            recent.addLast(e);
            if (recent.size() > KEEP) {
                recent.removeFirst();
            }
            subscribers.forEach(q -> q.offer(e));
        }
    }

    /** A live subscription that starts with the kept events at or after {@code sinceNano}. */
    public Subscription subscribe(long sinceNano) {
        BlockingQueue<Event> q = new LinkedBlockingQueue<>();
        List<Event> backlog = new ArrayList<>();
        synchronized (recent) {
            for (Event e : recent) {
                if (e.timeNano() >= sinceNano) {
                    backlog.add(e);
                }
            }
            subscribers.add(q);
        }
        return new Subscription(backlog, q);
    }

    /** Past events (oldest first) then live ones; close it when the client goes. */
    public final class Subscription implements AutoCloseable {
        private final List<Event> backlog;
        private final BlockingQueue<Event> live;

        private Subscription(List<Event> backlog, BlockingQueue<Event> live) {
            this.backlog = backlog;
            this.live = live;
        }

        public List<Event> backlog() {
            return backlog;
        }

        /** The next live event, or null after {@code millis}. */
        public Event next(long millis) throws InterruptedException {
            return live.poll(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            subscribers.remove(live);
        }
    }
}
