package dev.muelle.engine.image;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayerStoreTest {

    @TempDir
    Path tmp;
    Database db;
    ContentStore blobs;
    LayerStore store;

    @BeforeEach
    void open() {
        db = Database.open(tmp.resolve("muelle.db"));
        blobs = ContentStore.open(tmp.resolve("blobs"));
        store = LayerStore.open(tmp.resolve("layers"), db, blobs);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static final InputStream UNREADABLE = new InputStream() {
        @Override
        public int read() {
            throw new AssertionError("a present layer must not be read again");
        }
    };

    @Test
    void appliesOnceAndCountsReferences() throws IOException {
        byte[] base = new TestTars().file("a", "1").build();
        byte[] top = new TestTars().file("b", "2").build();
        Digest blob = blobs.write(new ByteArrayInputStream(base), null);
        Layer l0 = store.apply(null, null, new ByteArrayInputStream(base), base.length, blob);
        Layer l1 = store.apply(l0.chainId(), Digest.of(top), new ByteArrayInputStream(top), top.length, null);

        assertThat(l0.chainId()).isEqualTo(Digest.of(base));
        assertThat(l1.chainId()).isEqualTo(ChainId.next(l0.chainId(), Digest.of(top)));
        assertThat(store.diff(l1.chainId()).resolve("b")).hasContent("2");
        assertThat(store.diff(l1.chainId())).isEqualTo(tmp.resolve("layers").resolve(l1.chainId().hex()).resolve("diff"));

        Layer again = store.apply(null, Digest.of(base), UNREADABLE, -1, blob);
        assertThat(again).isEqualTo(l0);

        // l0 now has two references, l1 one
        assertThat(store.release(List.of(l0.chainId(), l1.chainId()))).extracting(Layer::chainId)
                .containsExactly(l1.chainId());
        assertThat(store.diff(l1.chainId())).doesNotExist();
        assertThat(store.diff(l0.chainId()).resolve("a")).hasContent("1");
        assertThat(blobs.exists(blob)).isTrue();
        assertThat(store.release(List.of(l0.chainId()))).extracting(Layer::chainId).containsExactly(l0.chainId());
        assertThat(store.get(l0.chainId())).isEmpty();
        assertThat(blobs.exists(blob)).isFalse();
        assertThat(listing(tmp.resolve("layers"))).isEmpty();
    }

    @Test
    void diffIdMismatchKeepsNothing() throws IOException {
        byte[] tar = new TestTars().file("a", "1").build();
        Digest claimed = Digest.of("other");
        assertThatThrownBy(() -> store.apply(null, claimed, new ByteArrayInputStream(tar), tar.length, null))
                .isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessage("layer diff ID mismatch: expected " + claimed + ", got " + Digest.of(tar));
        assertThat(listing(tmp.resolve("layers"))).isEmpty();
        assertThat(store.get(Digest.of(tar))).isEmpty();
    }

    @Test
    void refusedEntryKeepsNothing() throws IOException {
        byte[] tar = new TestTars().file("ok", "1").file("../evil", "x").build();
        assertThatThrownBy(() -> store.apply(null, null, new ByteArrayInputStream(tar), tar.length, null))
                .isInstanceOf(EngineException.InvalidParameter.class).hasMessageContaining("../evil");
        assertThat(listing(tmp.resolve("layers"))).isEmpty();
    }

    @Test
    void openRemovesWhatACrashLeftBehind() throws IOException {
        byte[] tar = new TestTars().file("a", "1").build();
        Layer kept = store.apply(null, null, new ByteArrayInputStream(tar), tar.length, null);
        byte[] orphanTar = new TestTars().file("b", "1").build();
        Layer unreferenced = store.apply(null, null, new ByteArrayInputStream(orphanTar), orphanTar.length, null);
        db.update("UPDATE layers SET refcount = 0 WHERE chain_id = ?", unreferenced.chainId().toString());
        Files.createDirectories(tmp.resolve("layers/.tmp-killed/diff/half"));
        Files.createDirectories(tmp.resolve("layers").resolve("f".repeat(64)).resolve("diff"));

        store = LayerStore.open(tmp.resolve("layers"), db, blobs);

        assertThat(listing(tmp.resolve("layers"))).containsExactly(kept.chainId().hex());
        assertThat(store.get(unreferenced.chainId())).isEmpty();
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
