package dev.muelle.desktop.session;

import dev.muelle.desktop.FakeEngineClient;
import dev.muelle.desktop.InlineTasks;
import dev.muelle.desktop.engine.EngineException;
import dev.muelle.desktop.engine.EngineLocator;
import dev.muelle.desktop.engine.EngineStrategies;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EngineSessionTest {

    private final InlineTasks inline = new InlineTasks();
    private final FakeEngineClient client = new FakeEngineClient();
    private final List<String> launched = new ArrayList<>();
    private final Set<String> answering = new java.util.HashSet<>();

    /** An engine launch makes its endpoint answer, as a real engine would once it is up. */
    private EngineSession session(Set<String> initiallyAnswering) {
        answering.addAll(initiallyAnswering);
        return new EngineSession(
                () -> new EngineLocator(EngineStrategies.standard("", Map.of("DOCKER_HOST", "unix:///a.sock"), java.nio.file.Path.of("/nonexistent")),
                        answering::contains),
                answering::contains,
                endpoint -> client, endpoint -> {
                    launched.add(endpoint);
                    answering.add(endpoint);
                }, inline.tasks, inline.notifier);
    }

    @Test
    void connectsToTheFirstEndpointThatAnswersAndOpensTheEventStream() {
        EngineSession s = session(Set.of("unix:///a.sock"));
        s.connect();
        assertThat(s.state()).isEqualTo(EngineSession.State.RUNNING);
        assertThat(s.endpointProperty().get()).isEqualTo("unix:///fake.sock");
        assertThat(s.infoProperty().get().name()).isEqualTo("Fake Engine");
        assertThat(client.calls).containsSubsequence("info", "events");
    }

    @Test
    void aSearchStartedBeforeTheWindowIsTakenAtOnceWhenItHasFinished() throws Exception {
        answering.add("unix:///a.sock");
        EngineSession.Early early = EngineSession.findEarly(
                () -> new EngineLocator(EngineStrategies.standard("", Map.of("DOCKER_HOST", "unix:///a.sock"),
                        java.nio.file.Path.of("/nonexistent")), answering::contains),
                endpoint -> client);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!early.finished() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        // No worker may be used: the finished search is taken on the calling thread.
        var noWorkers = new dev.muelle.desktop.task.WorkerTaskExecutor(Runnable::run, r -> {
            throw new AssertionError("a worker was used");
        }, inline.notifier);
        EngineSession s = new EngineSession(() -> {
            throw new AssertionError("searched again");
        }, answering::contains, endpoint -> client, endpoint -> { }, noWorkers, inline.notifier);

        s.connect(early);

        // RUNNING on return, with the container list the early search read for the first frame.
        assertThat(s.state()).isEqualTo(EngineSession.State.RUNNING);
        assertThat(client.calls).containsSubsequence("info", "containers", "events");
        assertThat(s.takeEarlyContainers()).isNotNull();
        assertThat(s.takeEarlyContainers()).as("taken once").isNull();
    }

    @Test
    void whenNothingAnswersItSaysWhatWasTriedAndHowToFixIt() {
        EngineSession s = session(Set.of());
        s.connect();
        assertThat(s.state()).isEqualTo(EngineSession.State.UNREACHABLE);
        assertThat(s.problemProperty().get())
                .contains("DOCKER_HOST (unix:///a.sock)", "unset DOCKER_HOST")
                .contains("Muelle's socket (" + EngineStrategies.MUELLE_SOCKET + ")", "./muelle up")
                .contains("docker context");
        assertThat(s.client()).isNull();
    }

    @Test
    void eventsFanOutToListenersOnTheUiThread() {
        EngineSession s = session(Set.of("unix:///a.sock"));
        List<String> seen = new ArrayList<>();
        s.addEventListener(e -> seen.add(e.type() + " " + e.action()));
        s.connect();
        client.emit("container", "start", "c1");
        assertThat(seen).containsExactly("container start");
    }

    @Test
    void theEventStreamEndingMeansTheEngineStopped() {
        EngineSession s = session(Set.of("unix:///a.sock"));
        s.connect();
        client.events.onError(new EngineException.Unreachable("gone", null));
        assertThat(s.state()).isEqualTo(EngineSession.State.UNREACHABLE);
        assertThat(s.client()).isNull();
        assertThat(s.problemProperty().get()).contains("has stopped", "Start engine");
        assertThat(client.eventsClosed).isTrue();
        assertThat(inline.notifier.messages).anyMatch(m -> m.startsWith("ERROR Engine stopped"));
    }

    @Test
    void startEngineLaunchesTheEngineForTheFirstEndpointTriedThenConnects() {
        EngineSession s = session(Set.of());
        s.connect();
        assertThat(s.state()).isEqualTo(EngineSession.State.UNREACHABLE);
        s.startEngine();
        assertThat(launched).containsExactly("unix:///a.sock");
        assertThat(s.state()).isEqualTo(EngineSession.State.RUNNING);
        assertThat(inline.notifier.messages).anyMatch(m -> m.startsWith("INFO Engine started"));
    }

    @Test
    void aFailedLaunchSaysWhy() {
        EngineSession s = new EngineSession(
                () -> new EngineLocator(List.of(), e -> false), e -> false, e -> client,
                endpoint -> {
                    throw new java.io.IOException("No engine command is set.");
                }, inline.tasks, inline.notifier);
        s.connect();
        s.startEngine();
        assertThat(s.state()).isEqualTo(EngineSession.State.UNREACHABLE);
        assertThat(s.problemProperty().get()).contains("No engine command is set.");
        assertThat(inline.notifier.messages).anyMatch(m -> m.startsWith("ERROR Could not start the engine"));
    }
}
