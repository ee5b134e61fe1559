package dev.muelle.desktop.builds;

import dev.muelle.desktop.FakeEngineClient;
import dev.muelle.desktop.SessionFixture;
import dev.muelle.desktop.engine.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.muelle.desktop.builds.BuildStep.Status.BUILT;
import static dev.muelle.desktop.builds.BuildStep.Status.CACHED;
import static dev.muelle.desktop.builds.BuildStep.Status.FAILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuildsViewModelTest {

    @TempDir
    Path dir;

    private final FakeEngineClient client = new FakeEngineClient();
    private final SessionFixture fixture = new SessionFixture(client).connect();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    private BuildsViewModel model(BuildHistory history) {
        return new BuildsViewModel(fixture.session, fixture.inline.tasks, fixture.inline.notifier, history, clock);
    }

    private Path app() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        Files.writeString(app.resolve("Dockerfile"), "FROM busybox\nCOPY a.txt /a.txt\n");
        return app;
    }

    @Test
    void buildsWithTagsAndArgsAndMarksEachStep() throws Exception {
        Path app = app();
        client.buildOutput = List.of("Step 1/2 : FROM busybox\n", " ---> Using cache\n ---> 111\n",
                "Step 2/2 : COPY a.txt /a.txt\n", " ---> 222\n", "Successfully built 222\n");
        client.buildImageId = "sha256:2222222222222222222222";
        BuildsViewModel model = model(new BuildHistory(dir.resolve("history.json")));
        model.folderProperty().set(app.toString());
        model.tagsProperty().set("app:latest, app:1.0");
        model.argsProperty().set("VERSION=1.0\n\nMODE=a=b\n");
        model.build();

        assertThat(client.calls).contains("build " + app + " [app:1.0, app:latest] {MODE=a=b, VERSION=1.0}");
        assertThat(model.steps()).extracting(BuildStep::status).containsExactly(CACHED, BUILT);
        assertThat(model.outputProperty().get()).contains("Successfully built 222");
        assertThat(model.messageProperty().get()).isEqualTo("Built 222222222222: 1 steps cached, 1 built");
        assertThat(model.buildingProperty().get()).isFalse();
        BuildRecord r = model.history().get(0);
        assertThat(r).isEqualTo(new BuildRecord(clock.millis(), app.toString(), List.of("app:latest", "app:1.0"),
                BuildRecord.Result.SUCCEEDED, "sha256:2222222222222222222222", "", 1, 1));
    }

    @Test
    void aCancelledBuildMarksItsRunningStepAndIsKeptAsCancelled() throws Exception {
        Path app = app();
        client.buildOutput = List.of("Step 1/2 : FROM busybox\n ---> Using cache\n", "Step 2/2 : RUN sleep 60\n");
        BuildsViewModel model = model(new BuildHistory(dir.resolve("history.json")));
        client.duringBuild = model::cancel;
        model.folderProperty().set(app.toString());
        model.build();

        assertThat(model.steps()).extracting(BuildStep::status).containsExactly(CACHED, BuildStep.Status.CANCELLED);
        assertThat(model.messageProperty().get()).isEqualTo("Build cancelled.");
        assertThat(model.buildingProperty().get()).isFalse();
        assertThat(model.history()).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(BuildRecord.Result.CANCELLED);
            assertThat(r.imageId()).isEmpty();
        });
        assertThat(new BuildHistory(dir.resolve("history.json")).load()).extracting(BuildRecord::result)
                .containsExactly(BuildRecord.Result.CANCELLED);
    }

    @Test
    void aFailedBuildIsKeptWithTheEnginesWordsAndTheFailedStep() throws Exception {
        Path app = app();
        client.buildOutput = List.of("Step 1/2 : FROM busybox\n ---> Using cache\n", "Step 2/2 : RUN false\n");
        client.failNext = new EngineException.Failed("The command '/bin/sh -c false' returned a non-zero code: 1", null);
        BuildsViewModel model = model(new BuildHistory(null));
        model.folderProperty().set(app.toString());
        model.build();

        assertThat(model.steps()).extracting(BuildStep::status).containsExactly(CACHED, FAILED);
        assertThat(model.messageProperty().get()).contains("returned a non-zero code: 1");
        assertThat(model.history()).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(BuildRecord.Result.FAILED);
            assertThat(r.error()).contains("non-zero code");
            assertThat(r.imageId()).isEmpty();
        });
    }

    @Test
    void aFolderWithoutADockerfileIsRefusedBeforeTheEngineIsAsked() {
        BuildsViewModel model = model(new BuildHistory(null));
        model.folderProperty().set(dir.toString());
        model.build();
        assertThat(model.messageProperty().get()).contains("no Dockerfile in " + dir);
        assertThat(client.calls).noneMatch(c -> c.startsWith("build"));
    }

    @Test
    void cannotBuildWithoutAFolder() {
        BuildsViewModel model = model(new BuildHistory(null));
        assertThat(model.canBuild().get()).isFalse();
        model.build();
        assertThat(client.calls).noneMatch(c -> c.startsWith("build"));
        model.folderProperty().set("/somewhere");
        assertThat(model.canBuild().get()).isTrue();
    }

    @Test
    void historySurvivesARestartNewestFirst() throws Exception {
        Path app = app();
        BuildHistory store = new BuildHistory(dir.resolve("cfg/muelle/builds.json"));
        BuildsViewModel first = model(store);
        first.folderProperty().set(app.toString());
        first.tagsProperty().set("one");
        first.build();
        first.tagsProperty().set("two");
        first.build();

        BuildsViewModel again = model(store);
        assertThat(again.history()).extracting(r -> r.tags().get(0)).containsExactly("two", "one");
        assertThat(again.history().get(0).when()).isEqualTo(clock.instant());
    }

    @Test
    void aBrokenHistoryFileIsAnEmptyHistory() throws Exception {
        Path file = dir.resolve("builds.json");
        Files.writeString(file, "{not json");
        assertThat(new BuildHistory(file).load()).isEmpty();
    }

    @Test
    void buildArgsNeedANameAndTagsSplitOnSpacesAndCommas() {
        assertThat(BuildsViewModel.tags(" a:1,b  c, ,a:1")).containsExactly("a:1", "b", "c");
        assertThat(BuildsViewModel.buildArgs("A=1\nB=\n")).isEqualTo(Map.of("A", "1", "B", ""));
        assertThatThrownBy(() -> BuildsViewModel.buildArgs("=x")).hasMessageContaining("NAME=value");
        assertThatThrownBy(() -> BuildsViewModel.buildArgs("TWO WORDS=x")).hasMessageContaining("NAME=value");
    }
}
