package dev.muelle.desktop.volumes;

import dev.muelle.desktop.FakeEngineClient;
import dev.muelle.desktop.SessionFixture;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VolumeBrowserViewModelTest {

    private final FakeEngineClient client = new FakeEngineClient();
    private final SessionFixture fixture = new SessionFixture(client).connect();
    private final VolumeBrowserViewModel model = new VolumeBrowserViewModel(fixture.session, fixture.inline.tasks,
            fixture.inline.notifier);

    @Test
    void savesAnEditAgainstTheVersionItWasOpenedAt() {
        client.files.put("/site/index.html", "hello");
        model.open("data");
        model.enter("/site");
        assertThat(model.breadcrumbs()).containsExactly("/", "/site");
        model.select(model.visible().get(0));
        assertThat(model.previewProperty().get()).isEqualTo(VolumeBrowserViewModel.Preview.TEXT);
        model.editorTextProperty().set("hello, edited");
        assertThat(model.dirtyProperty().get()).isTrue();
        model.save();
        assertThat(client.files.text("/site/index.html")).isEqualTo("hello, edited");
        assertThat(model.dirtyProperty().get()).isFalse();
        assertThat(model.messageProperty().get()).isEmpty();
    }

    @Test
    void knownSyntaxIsShownHighlightedUntilEditedAndOtherTextPlain() {
        client.files.put("/compose.yaml", "services:\n  web: {}\n");
        client.files.put("/notes.txt", "just text");
        model.open("data");
        model.select(model.visible().stream().filter(f -> f.name().equals("compose.yaml")).findFirst().orElseThrow());
        assertThat(model.highlightsProperty().get()).extracting(Highlighter.Span::style).containsExactly("hl-key", "hl-key");
        assertThat(model.editingProperty().get()).isFalse();
        model.editorTextProperty().set("services: {}\n");
        assertThat(model.editingProperty().get()).as("typing shows the editor").isTrue();

        model.select(model.visible().stream().filter(f -> f.name().equals("notes.txt")).findFirst().orElseThrow());
        assertThat(model.highlightsProperty().get()).isEmpty();
        assertThat(model.editingProperty().get()).isTrue();
    }

    @Test
    void draggingOutCopiesTheChosenFilesToLocalFilesWithTheirBytes() throws Exception {
        client.files.put("/a.txt", "alpha");
        client.files.content.put("/b.bin", new byte[] {0, 1, 2, (byte) 255});
        model.open("data");
        List<Path> local = model.dragOut(List.copyOf(model.visible()));
        assertThat(local).extracting(p -> p.getFileName().toString()).containsExactly("a.txt", "b.bin");
        assertThat(java.nio.file.Files.readString(local.get(0))).isEqualTo("alpha");
        assertThat(java.nio.file.Files.readAllBytes(local.get(1))).containsExactly(0, 1, 2, 255);

        List<Path> again = model.dragOut(List.of(model.visible().get(0)));
        assertThat(again).hasSize(1);
        assertThat(local.get(0).getParent()).as("the previous drag's copies are removed").doesNotExist();
        java.nio.file.Files.deleteIfExists(again.get(0));
        java.nio.file.Files.deleteIfExists(again.get(0).getParent());
    }

    @Test
    void draggingOutTooMuchIsRefusedWithAReason() {
        client.files.content.put("/big.bin", new byte[(int) VolumeBrowserViewModel.DRAG_OUT_BYTES + 1]);
        client.files.put("/small.txt", "x");
        model.open("data");
        assertThat(model.dragOut(List.copyOf(model.visible()))).isEmpty();
        assertThat(model.messageProperty().get()).contains("Too much to drag to the desktop").contains("16 MiB")
                .contains("use Download");

        client.files.content.clear();
        for (int i = 0; i <= VolumeBrowserViewModel.DRAG_OUT_ENTRIES; i++) {
            client.files.put("/f" + i, "");
        }
        model.refresh();
        model.select(model.visible().get(0));
        assertThat(model.messageProperty().get()).isEmpty();
        assertThat(model.dragOut(List.copyOf(model.visible()))).isEmpty();
        assertThat(model.messageProperty().get()).contains("1000 files and folders");
    }

    @Test
    void aStaleEditIsRefusedAndBothVersionsSurvive() {
        client.files.put("/notes.txt", "first");
        model.open("data");
        model.select(model.visible().get(0));
        client.files.put("/notes.txt", "theirs");
        model.editorTextProperty().set("mine");
        model.save();
        assertThat(model.messageProperty().get()).contains("was changed in the volume after you opened it");
        assertThat(client.files.text("/notes.txt")).isEqualTo("theirs");
        assertThat(model.editorTextProperty().get()).isEqualTo("mine");
        model.saveAsCopy();
        assertThat(client.files.text("/notes.mine.txt")).isEqualTo("mine");
        assertThat(client.files.text("/notes.txt")).isEqualTo("theirs");
    }

    @Test
    void searchNarrowsTheFolderAndBinaryFilesAreNotEdited() {
        client.files.put("/a.txt", "a");
        client.files.put("/b.log", "b");
        client.files.content.put("/c.bin", new byte[] {1, 0, 2});
        model.open("data");
        model.searchProperty().set("LOG");
        assertThat(model.visible()).extracting(f -> f.name()).containsExactly("b.log");
        model.searchProperty().set("");
        model.select(model.visible().stream().filter(f -> f.name().equals("c.bin")).findFirst().orElseThrow());
        assertThat(model.previewProperty().get()).isEqualTo(VolumeBrowserViewModel.Preview.BINARY);
    }

    @Test
    void aRefusedUploadIsExplained() {
        model.open("data");
        model.upload(List.of(Path.of("/tmp/x")), "/../outside");
        assertThat(model.messageProperty().get()).startsWith("The engine refused to upload x into /../outside")
                .contains("'..'");
        assertThat(model.transferringProperty().get()).isFalse();
    }
}
