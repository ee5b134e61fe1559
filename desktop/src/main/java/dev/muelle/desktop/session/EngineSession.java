package dev.muelle.desktop.session;

import dev.muelle.desktop.engine.ContainerSummary;
import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.EngineEvent;
import dev.muelle.desktop.engine.EngineException;
import dev.muelle.desktop.engine.EngineInfo;
import dev.muelle.desktop.engine.EngineLocator;
import dev.muelle.desktop.engine.StreamListener;
import dev.muelle.desktop.engine.Subscription;
import dev.muelle.desktop.task.BackgroundTask;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The app's connection to one engine, and the one place that changes it.
 *
 * <p>States: {@code SEARCHING} (strategies are being tried) → {@code RUNNING} (a client is
 * connected and its event stream is open) or {@code UNREACHABLE} (nothing answered; {@link #problem}
 * says what was tried and how to fix it). From {@code UNREACHABLE}, {@link #startEngine} goes to
 * {@code STARTING} until the endpoint answers. When the event stream breaks (the engine stopped),
 * the session goes back to {@code UNREACHABLE} by itself: the app learns this from the stream,
 * not by polling.
 *
 * <p>All properties change on the UI thread; event listeners are called on the UI thread.
 */
public final class EngineSession {

    /** Where the app stands with the engine. */
    public enum State { SEARCHING, RUNNING, UNREACHABLE, STARTING }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.SEARCHING);
    private final ReadOnlyObjectWrapper<EngineClient> client = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<EngineInfo> info = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper endpoint = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final List<Consumer<EngineEvent>> listeners = new ArrayList<>();
    private final Supplier<EngineLocator> locator;
    private final java.util.function.Predicate<String> answers;
    private final Function<String, EngineClient> clients;
    private final EngineLauncher launcher;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private Subscription events;
    private List<ContainerSummary> earlyContainers;
    private String startEndpoint;

    /**
     * @param locator a fresh locator each time (Settings may have changed the configured socket)
     * @param answers whether an endpoint answers {@code /_ping} (waiting for a started engine)
     * @param clients opens a client for an endpoint that answered
     */
    public EngineSession(Supplier<EngineLocator> locator, java.util.function.Predicate<String> answers,
                         Function<String, EngineClient> clients, EngineLauncher launcher, TaskExecutor tasks,
                         Notifier notifier) {
        this.locator = locator;
        this.answers = answers;
        this.clients = clients;
        this.launcher = launcher;
        this.tasks = tasks;
        this.notifier = notifier;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public State state() {
        return state.get();
    }

    /** The connected client; null unless {@link State#RUNNING}. */
    public ReadOnlyObjectProperty<EngineClient> clientProperty() {
        return client.getReadOnlyProperty();
    }

    public EngineClient client() {
        return client.get();
    }

    public ReadOnlyObjectProperty<EngineInfo> infoProperty() {
        return info.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty endpointProperty() {
        return endpoint.getReadOnlyProperty();
    }

    /** Why no engine is connected and what to do, in plain words; empty while running. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Called on the UI thread for every event while connected. */
    public void addEventListener(Consumer<EngineEvent> listener) {
        listeners.add(listener);
    }

    /** Find an engine (ranked strategies) and connect to the first that answers. */
    public void connect() {
        connect(null);
    }

    /**
     * As {@link #connect()}, taking the result of a search already under way ({@link #findEarly});
     * null searches now. A search that has already finished is taken at once, on the calling (UI)
     * thread; one still running is waited for on a worker.
     */
    public void connect(Early early) {
        if (early != null && early.finished()) {
            // Found while the toolkit started: connect now, so the first frame shows the engine's page.
            try {
                connected(early.join());
            } catch (Exception e) {
                unreachable(Notifier.plainMessage(e), null);
            }
            return;
        }
        state.set(State.SEARCHING);
        BackgroundTask.wrap(() -> early != null ? early.join() : find(locator, clients, false))
                .withTitle("Connect to the engine")
                .onSuccess(this::connected)
                .onFailure(e -> unreachable(Notifier.plainMessage(e), null))
                .executeWith(tasks);
    }

    /**
     * Starts the search for the engine on a daemon thread right away, before the toolkit and the
     * window exist (the launcher calls this first thing): finding the socket, loading the client's
     * classes, {@code /info} and a first container list then overlap with the toolkit's start-up.
     */
    public static Early findEarly(Supplier<EngineLocator> locator, Function<String, EngineClient> clients) {
        CompletableFuture<Connection> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(find(locator, clients, true));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "engine-early-connect");
        t.setDaemon(true);
        t.start();
        return new Early(result);
    }

    /** A search for the engine started by {@link #findEarly}; hand it to {@link #connect(Early)}. */
    public static final class Early {
        private final CompletableFuture<Connection> result;

        private Early(CompletableFuture<Connection> result) {
            this.result = result;
        }

        boolean finished() {
            return result.isDone();
        }

        Connection join() throws Exception {
            try {
                return result.get(START_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    /** @param warmUp also list the containers, for the window's first frame ({@link #takeEarlyContainers}) */
    private static Connection find(Supplier<EngineLocator> locator, Function<String, EngineClient> clients, boolean warmUp) {
        EngineLocator.Outcome outcome = locator.get().locate();
        if (!outcome.found()) {
            return new Connection(null, null, outcome, null);
        }
        EngineClient c = clients.apply(outcome.endpoint());
        try {
            EngineInfo engineInfo = c.info();
            return new Connection(c, engineInfo, outcome, warmUp ? c.containers() : null);
        } catch (EngineException e) {
            c.close();
            throw e;
        }
    }

    private record Connection(EngineClient client, EngineInfo info, EngineLocator.Outcome outcome,
                              List<ContainerSummary> containers) {
    }

    private void connected(Connection connection) {
        if (connection.client() == null) {
            unreachable(connection.outcome().explanation(), connection.outcome().preferredEndpoint());
            return;
        }
        closeClient();
        EngineClient c = connection.client();
        endpoint.set(c.endpoint());
        info.set(connection.info());
        problem.set("");
        events = c.events(new StreamListener<>() {
            @Override
            public void onItem(EngineEvent event) {
                tasks.runOnUi(() -> {
                    if (client.get() == c) {
                        List.copyOf(listeners).forEach(l -> l.accept(event));
                    }
                });
            }

            @Override
            public void onEnd() {
                tasks.runOnUi(() -> lost(c, "The engine at " + c.endpoint() + " has stopped (it closed its event stream)."));
            }

            @Override
            public void onError(EngineException error) {
                // The transport's words ("premature end of chunk ...") would not help the user.
                tasks.runOnUi(() -> lost(c, "The engine at " + c.endpoint() + " has stopped (its event stream broke off)."));
            }
        });
        earlyContainers = connection.containers();
        client.set(c);
        state.set(State.RUNNING);
    }

    private void lost(EngineClient c, String why) {
        if (client.get() != c) {
            return;
        }
        String where = c.endpoint();
        closeClient();
        unreachable(why + "\n\nPress Start engine to start it again, or run ./muelle up.", where);
        notifier.error("Engine stopped", "The engine at " + where + " is no longer running.");
    }

    private void unreachable(String why, String preferred) {
        closeClient();
        startEndpoint = preferred;
        problem.set(why);
        state.set(State.UNREACHABLE);
    }

    /**
     * The container list an early search ({@link #findEarly}) read with {@code /info}, once, for the
     * first frame; null otherwise. It may miss what happened just before the event stream opened:
     * who shows it also asks for a fresh list.
     */
    public List<ContainerSummary> takeEarlyContainers() {
        List<ContainerSummary> list = earlyContainers;
        earlyContainers = null;
        return list;
    }

    /** Re-read {@code /info} (container and image counts). */
    public void refreshInfo() {
        EngineClient c = client.get();
        if (c == null) {
            return;
        }
        BackgroundTask.wrap(c::info).onSuccess(i -> {
            if (client.get() == c) {
                info.set(i);
            }
        }).onFailure(e -> { }).executeWith(tasks);
    }

    /** The Start engine action: launch the engine, wait until it answers, then connect. */
    public void startEngine() {
        String target = startEndpoint != null ? startEndpoint : dev.muelle.desktop.engine.EngineStrategies.MUELLE_SOCKET;
        state.set(State.STARTING);
        problem.set("Starting the engine on " + target + " …");
        BackgroundTask.wrap(() -> {
            launcher.launch(target);
            Instant deadline = Instant.now().plus(START_TIMEOUT);
            while (Instant.now().isBefore(deadline)) {
                if (answers.test(target)) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new EngineException.Unreachable("The engine did not answer on " + target + " within "
                    + START_TIMEOUT.toSeconds() + " s. Look at its log for the reason.", null);
        }).withTitle("Start the engine")
                .onSuccess(ignored -> {
                    notifier.info("Engine started", "The engine answers on " + target + ".");
                    connect();
                })
                .onFailure(e -> {
                    unreachable(Notifier.plainMessage(e), target);
                    notifier.error("Could not start the engine", Notifier.plainMessage(e));
                })
                .executeWith(tasks);
    }

    /** Drop the connection (closing the app, or switching sockets in Settings). */
    public void close() {
        closeClient();
    }

    private void closeClient() {
        if (events != null) {
            events.close();
            events = null;
        }
        EngineClient c = client.get();
        if (c != null) {
            client.set(null);
            c.close();
        }
    }
}
