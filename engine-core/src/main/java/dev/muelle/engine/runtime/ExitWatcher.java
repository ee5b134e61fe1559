package dev.muelle.engine.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.function.Predicate;

/**
 * Turns conmon's exit files into {@link ExitListener} calls. Conmon writes {@code <exit-dir>/<id>}
 * (the exit code as decimal text) atomically (temporary file + rename) when a container's init
 * process ends; the watcher learns of it through inotify (the JDK's {@link WatchService}), so it
 * costs nothing while nothing exits.
 *
 * <p>Exit files stay until the container is deleted or created again, so {@link #scanExisting()}
 * reports every stopped-but-not-deleted container, including those that ended while the engine was
 * down; listeners must be idempotent.
 */
public final class ExitWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExitWatcher.class);

    private final Path exitDir;
    private final Predicate<String> isContainer;
    private final Predicate<String> oomKilled;
    private final ExitListener listener;
    private final WatchService watchService;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param isContainer whether a file name is a container id; conmon's temporary files
     *                    ({@code <id>.XXXXXX}, from glib's atomic write) are not
     */
    ExitWatcher(Path exitDir, Predicate<String> isContainer, Predicate<String> oomKilled, ExitListener listener)
            throws IOException {
        this.exitDir = exitDir;
        this.isContainer = isContainer;
        this.oomKilled = oomKilled;
        this.listener = listener;
        this.watchService = exitDir.getFileSystem().newWatchService();
        exitDir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE);
        this.thread = new Thread(this::watch, "container-exits");
        thread.setDaemon(true);
        thread.start();
    }

    /** Reports every exit file present now. Call after the watcher started, so none falls between. */
    public void scanExisting() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(exitDir)) {
            for (Path file : files) {
                report(file.getFileName().toString());
            }
        } catch (IOException e) {
            log.warn("Cannot list container exit files in {}: {}", exitDir, e.toString());
        }
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        scanExisting();
                    } else {
                        report(((Path) event.context()).toString());
                    }
                }
                if (!key.reset()) {
                    if (closed) {
                        return;
                    }
                    log.warn("Exit directory {} went away; no more container exits will be noticed", exitDir);
                    return;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: stop quietly
        }
    }

    private void report(String name) {
        if (!isContainer.test(name)) {
            return;
        }
        Integer code = ConmonRuncRuntime.readExitCode(exitDir.resolve(name));
        if (code == null) {
            return;
        }
        try {
            listener.exited(name, code, oomKilled.test(name));
        } catch (RuntimeException e) {
            log.error("Exit listener failed for container {}", name, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            watchService.close();
        } catch (IOException e) {
            log.debug("closing exit watch service", e);
        }
        thread.interrupt();
    }
}
