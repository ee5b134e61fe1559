package dev.muelle.desktop.images;

import dev.muelle.desktop.FakeEngineClient;
import dev.muelle.desktop.SessionFixture;
import dev.muelle.desktop.engine.ContainerSummary;
import dev.muelle.desktop.engine.EngineException;
import dev.muelle.desktop.engine.ImageSummary;
import dev.muelle.desktop.engine.PullProgress;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PullViewModelTest {

    private final FakeEngineClient client = new FakeEngineClient();
    private final SessionFixture fixture = new SessionFixture(client).connect();
    private final ImagesViewModel images = new ImagesViewModel(fixture.session, fixture.inline.tasks, fixture.inline.notifier);

    @Test
    void showsOneBarPerLayerAndThePulledImageAppears() {
        client.pullProgress = List.of(
                new PullProgress(null, "Pulling from app", 0, 0),
                new PullProgress("aaa", "Pulling fs layer", 0, 0),
                new PullProgress("bbb", "Pulling fs layer", 0, 0),
                new PullProgress("aaa", "Downloading", 50, 100),
                new PullProgress("aaa", "Extracting", 100, 100),
                new PullProgress("bbb", "Already exists", 0, 0),
                new PullProgress("aaa", "Pull complete", 0, 0));
        PullViewModel pull = images.newPull();
        pull.referenceProperty().set("localhost:5000/app:1.0");
        pull.pull();
        assertThat(pull.layers()).extracting(PullViewModel.LayerProgress::layer).containsExactly("aaa", "bbb");
        assertThat(pull.layers()).allSatisfy(l -> assertThat(l.fractionProperty().get()).isEqualTo(1.0));
        assertThat(pull.succeededProperty().get()).isTrue();
        assertThat(pull.statusProperty().get()).isEqualTo("Pulled localhost:5000/app:1.0");
        // The list reloads after the pull, without waiting for an image event.
        assertThat(images.items()).extracting(ImageItem::reference).contains("localhost:5000/app:1.0");
    }

    @Test
    void layerProgressCombinesDownloadAndExtraction() {
        PullViewModel pull = images.newPull();
        pull.progress(new PullProgress("aaa", "Downloading", 50, 100));
        assertThat(pull.layers().get(0).fractionProperty().get()).isEqualTo(0.25);
        pull.progress(new PullProgress("aaa", "Extracting", 50, 100));
        assertThat(pull.layers().get(0).fractionProperty().get()).isEqualTo(0.75);
    }

    @Test
    void anUnknownImageIsExplained() {
        client.failNext = new EngineException.NotFound("manifest for localhost:5000/nope:latest not found: manifest unknown", null);
        PullViewModel pull = images.newPull();
        pull.referenceProperty().set("localhost:5000/nope");
        pull.pull();
        assertThat(pull.errorProperty().get()).startsWith("The image localhost:5000/nope was not found in its registry.");
        assertThat(pull.succeededProperty().get()).isFalse();
        assertThat(fixture.messages()).anyMatch(m -> m.startsWith("ERROR Pull of localhost:5000/nope failed"));
    }

    @Test
    void aBadReferenceIsRefusedBeforeAskingTheEngine() {
        PullViewModel pull = images.newPull();
        pull.referenceProperty().set("Not A Name");
        pull.pull();
        assertThat(pull.errorProperty().get()).contains("lower-case");
        assertThat(client.calls).noneMatch(c -> c.startsWith("pull"));
    }

    @Test
    void imageRowsArePerTagWithTheContainersThatUseThem() {
        var rows = ImagesViewModel.rows(
                List.of(new ImageSummary("sha256:bb", List.of("busybox:latest", "busybox:1"), 1 << 20, 0, -1),
                        new ImageSummary("sha256:cc", List.of(), 10, 0, -1)),
                List.of(new ContainerSummary("c1", "web", "busybox", "sha256:bb", "running", "Up", 0, List.of(), Map.of())));
        assertThat(rows).extracting(ImageItem::reference).containsExactly("busybox:1", "busybox:latest", "cc");
        assertThat(rows.get(0).usedBy()).containsExactly("web");
        assertThat(rows.get(2).tagged()).isFalse();
        assertThat(ImagesViewModel.tagProblem("localhost:5000/app:1.0")).isNull();
        assertThat(ImagesViewModel.tagProblem("App")).isNotNull();
    }
}
