package dev.muelle.desktop.containers;

import dev.muelle.desktop.FakeEngineClient;
import dev.muelle.desktop.InlineTasks;
import dev.muelle.desktop.engine.LogLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LogsViewModelTest {

    private final FakeEngineClient client = new FakeEngineClient();
    private final InlineTasks inline = new InlineTasks();
    private final LogsViewModel model = new LogsViewModel(client, "c1", inline.tasks);

    @TempDir
    Path dir;

    @Test
    void followsNewLinesAndStopsWhenClosed() {
        model.open();
        assertThat(client.calls).contains("logs c1 follow=true timestamps=false");
        client.logs.onItem(new LogLine("stdout", null, "one"));
        client.logs.onItem(new LogLine("stderr", null, "two"));
        assertThat(model.lines()).extracting(LogLine::text).containsExactly("one", "two");
        model.close();
        assertThat(client.logsClosed).isTrue();
        client.logs.onItem(new LogLine("stdout", null, "late"));
        assertThat(model.lines()).hasSize(2);
    }

    @Test
    void searchIgnoresColourCodesAndCase() {
        model.open();
        client.logs.onItem(new LogLine("stdout", null, "\u001b[32mGreen\u001b[0m light"));
        client.logs.onItem(new LogLine("stdout", null, "red light"));
        model.searchProperty().set("green l");
        assertThat(model.shown()).extracting(LogLine::text).containsExactly("\u001b[32mGreen\u001b[0m light");
        assertThat(model.shownText()).isEqualTo("Green light\n");
    }

    @Test
    void timestampsReopenTheStreamAndAreSaved() throws Exception {
        model.open();
        model.timestampsProperty().set(true);
        assertThat(client.calls).contains("logs c1 follow=true timestamps=true");
        client.logs.onItem(new LogLine("stdout", "2026-11-27T10:00:00Z", "hello"));
        Path file = dir.resolve("c1.log");
        model.save(file);
        assertThat(Files.readString(file)).isEqualTo("2026-11-27T10:00:00Z hello\n");
    }

    @Test
    void keepsAtMostTheNewestLines() {
        model.open();
        for (int i = 0; i < LogsViewModel.MAX_LINES + 10; i++) {
            client.logs.onItem(new LogLine("stdout", null, "l" + i));
        }
        assertThat(model.lines()).hasSize(LogsViewModel.MAX_LINES);
        assertThat(model.lines().get(0).text()).isEqualTo("l10");
    }

    @Test
    void theEndOfTheStreamIsSaid() {
        model.open();
        client.logs.onEnd();
        assertThat(model.statusProperty().get()).contains("stopped");
    }
}
