package dev.muelle.desktop.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Progress and cancellation of one long transfer (upload, download, export, import). The engine
 * client counts bytes into it from its worker thread; the UI reads {@link #done()} and may
 * {@link #cancel()} at any time, which makes the transfer fail with {@link Cancelled} at its next
 * block. Toolkit-free: listeners are called on the transferring thread.
 */
public final class Transfer {

    /** The user cancelled the transfer. */
    public static final class Cancelled extends EngineException {
        public Cancelled(String what) {
            super(what + " cancelled", null);
        }
    }

    private final AtomicLong done = new AtomicLong();
    private volatile long total = -1;
    private volatile boolean cancelled;
    private final LongConsumer onBytes;

    public Transfer(LongConsumer onBytes) {
        this.onBytes = onBytes;
    }

    public static Transfer untracked() {
        return new Transfer(n -> { });
    }

    public void cancel() {
        cancelled = true;
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Bytes moved so far. */
    public long done() {
        return done.get();
    }

    /** Bytes expected in all, or -1 when unknown. */
    public long total() {
        return total;
    }

    void total(long bytes) {
        total = bytes;
    }

    /** Count {@code n} more bytes; throws {@link Cancelled} once the user cancelled. */
    void advance(long n, String what) {
        if (cancelled) {
            throw new Cancelled(what);
        }
        onBytes.accept(done.addAndGet(n));
    }
}
