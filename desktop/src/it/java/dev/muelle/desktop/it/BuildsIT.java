package dev.muelle.desktop.it;

import dev.muelle.desktop.builds.BuildRecord;
import dev.muelle.desktop.builds.BuildStep;
import dev.muelle.desktop.shell.MainView;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.muelle.desktop.builds.BuildStep.Status.BUILT;
import static dev.muelle.desktop.builds.BuildStep.Status.CACHED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Builds page against a real engine: build a small app twice (the second time every step is
 * cached), change a file the second COPY reads (the steps from it on are built again), and the
 * history lists the three builds; a long build cancelled from the page is marked cancelled and kept
 * so in the history.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuildsIT {

    private static TestEngine engine;
    private static DesktopHarness desktop;
    private static Path app;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.start();
        app = Files.createDirectories(engine.scratch().resolve("sample-app"));
        Files.writeString(app.resolve("Dockerfile"), "FROM busybox\nCOPY a.txt /a.txt\nCOPY b.txt /b.txt\nRUN cat /a.txt /b.txt > /c.txt\n");
        Files.writeString(app.resolve("a.txt"), "alpha\n");
        Files.writeString(app.resolve("b.txt"), "beta\n");
        desktop = DesktopHarness.start(engine);
    }

    @AfterAll
    static void stop() throws Exception {
        DesktopHarness.closeAll(desktop, engine);
    }

    /** Press Build on the page and wait for the history to get the build's record. */
    private static List<BuildStep> buildOnce(int expectedHistory) {
        desktop.click("#build-start");
        desktop.waitFor("build " + expectedHistory + " to finish", Duration.ofSeconds(120), () ->
                desktop.app().buildsModel().history().size() == expectedHistory
                        && !desktop.app().buildsModel().buildingProperty().get());
        BuildRecord last = desktop.onFx(() -> desktop.app().buildsModel().history().get(0));
        assertThat(last.result()).as("build %s: %s", expectedHistory, last.error()).isEqualTo(BuildRecord.Result.SUCCEEDED);
        desktop.settle();
        return desktop.onFx(() -> List.copyOf(desktop.<ListView<BuildStep>>node("#build-steps").getItems()));
    }

    @Test
    @Order(1)
    void secondBuildIsCachedAndAChangedFileRebuildsFromItsStep() throws Exception {
        desktop.runFx(() -> desktop.app().mainView().show(MainView.Page.BUILDS));
        desktop.waitFor("the builds page", Duration.ofSeconds(20), () -> desktop.app().buildsModel() != null);
        desktop.write("#build-folder", app.toString());
        desktop.write("#build-tags", "sample:1, sample:latest");

        List<BuildStep> first = buildOnce(1);
        assertThat(first).extracting(BuildStep::instruction).containsExactly("FROM busybox", "COPY a.txt /a.txt",
                "COPY b.txt /b.txt", "RUN cat /a.txt /b.txt > /c.txt");
        assertThat(first).extracting(BuildStep::status).containsExactly(CACHED, BUILT, BUILT, BUILT);
        assertThat(engine.docker("run", "--rm", "sample:1", "cat", "/c.txt").assertOk().stdout()).isEqualTo("alpha\nbeta\n");

        List<BuildStep> second = buildOnce(2);
        assertThat(second).extracting(BuildStep::status).containsExactly(CACHED, CACHED, CACHED, CACHED);

        Files.writeString(app.resolve("b.txt"), "gamma\n");
        List<BuildStep> third = buildOnce(3);
        assertThat(third).extracting(BuildStep::status).containsExactly(CACHED, CACHED, BUILT, BUILT);
        assertThat(engine.docker("run", "--rm", "sample:latest", "cat", "/c.txt").assertOk().stdout()).isEqualTo("alpha\ngamma\n");

        TableView<BuildRecord> history = desktop.node("#build-history");
        List<BuildRecord> shown = desktop.onFx(() -> List.copyOf(history.getItems()));
        assertThat(shown).hasSize(3).allSatisfy(r -> {
            assertThat(r.folder()).isEqualTo(app.toString());
            assertThat(r.tags()).containsExactly("sample:1", "sample:latest");
        });
        assertThat(shown).extracting(r -> r.cachedSteps() + "/" + r.builtSteps()).containsExactly("2/2", "4/0", "1/3");
        assertThat(shown.get(0).imageId()).isNotEqualTo(shown.get(1).imageId());
        assertThat(shown.get(1).imageId()).isEqualTo(shown.get(2).imageId());
        assertThat(Files.readString(engine.scratch().resolve("home/.config/muelle/builds.json"))).contains("sample:latest");
        desktop.screenshotBothThemes("builds");
    }

    @Test
    @Order(2)
    void aRunningBuildCancelledFromThePageIsMarkedAndKeptAsCancelled() throws Exception {
        Path slow = Files.createDirectories(engine.scratch().resolve("slow-app"));
        Files.writeString(slow.resolve("Dockerfile"), "FROM busybox\nRUN echo sta''rted && sleep 45 && echo finished\n");
        desktop.runFx(() -> desktop.app().mainView().show(MainView.Page.BUILDS));
        desktop.write("#build-folder", slow.toString());
        desktop.write("#build-tags", "slow:1");
        int before = desktop.onFx(() -> desktop.app().buildsModel().history().size());
        long start = System.nanoTime();
        desktop.click("#build-start");
        desktop.waitFor("the RUN step to start", Duration.ofSeconds(60), () -> desktop.app().buildsModel().outputProperty()
                .get().contains("started"));
        desktop.click("#build-cancel");
        desktop.waitFor("the cancelled build in the history", Duration.ofSeconds(30), () ->
                desktop.app().buildsModel().history().size() == before + 1 && !desktop.app().buildsModel().buildingProperty().get());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("cancelled before the sleep ended").isLessThan(Duration.ofSeconds(45));
        BuildRecord last = desktop.onFx(() -> desktop.app().buildsModel().history().get(0));
        assertThat(last.result()).isEqualTo(BuildRecord.Result.CANCELLED);
        assertThat(last.folder()).isEqualTo(slow.toString());
        assertThat(desktop.onFx(() -> desktop.app().buildsModel().messageProperty().get())).isEqualTo("Build cancelled.");
        desktop.settle();
        List<BuildStep> steps = desktop.onFx(() -> List.copyOf(desktop.<ListView<BuildStep>>node("#build-steps").getItems()));
        assertThat(steps).extracting(BuildStep::status).containsExactly(CACHED, BuildStep.Status.CANCELLED);
        assertThat(Files.readString(engine.scratch().resolve("home/.config/muelle/builds.json"))).contains("CANCELLED");
        assertThat(engine.docker("image", "inspect", "slow:1").exitCode()).as("no image was tagged").isNotZero();
        desktop.screenshotBothThemes("builds-cancelled");
    }
}
