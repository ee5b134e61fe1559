package dev.muelle.engine.image;

import dev.muelle.engine.errors.EngineException;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The blob transfers of one pull or push, at most {@code parallel} at a time (dockerd's
 * max-concurrent-downloads/uploads). Closing it abandons transfers still running, so a failed
 * operation does not keep writing.
 */
final class TransferPool implements AutoCloseable {

    private final ExecutorService pool;

    TransferPool(int parallel, String name) {
        this.pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    Future<?> submit(Callable<?> transfer) {
        return pool.submit(transfer);
    }

    /** Waits for a transfer; its failure is rethrown as it was thrown. */
    static void await(Future<?> transfer) {
        try {
            transfer.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new EngineException.SystemError(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.SystemError("transfer interrupted", e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
