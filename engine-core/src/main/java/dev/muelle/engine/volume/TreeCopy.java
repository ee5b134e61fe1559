package dev.muelle.engine.volume;

import dev.muelle.engine.errors.EngineException;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Copies a directory's contents from one confined tree into another: a volume's copy-up from
 * the image and volume clone. It is a tar stream through a pipe (writer thread → extractor),
 * so both sides keep {@link TreeArchiver}'s confinement rules and nothing is held in memory.
 */
final class TreeCopy {

    private TreeCopy() {
    }

    static TreeArchiver.Extracted copy(RootedFs from, String fromDir, RootedFs to, String toDir) throws IOException {
        PipedInputStream in = new PipedInputStream(1 << 20);
        PipedOutputStream out = new PipedOutputStream(in);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (out) {
                TreeArchiver.write(from, fromDir, ".", out, Map.of(), true);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (in) {
            TreeArchiver.Extracted result = TreeArchiver.extract(to, toDir, in, TreeArchiver.Ownership.FROM_ARCHIVE, false);
            in.transferTo(java.io.OutputStream.nullOutputStream()); // the tar's end padding
            writer.join();
            return result;
        } catch (java.util.concurrent.CompletionException e) {
            throw new EngineException.SystemError("copy failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            writer.cancel(true);
        }
    }
}
