package dev.muelle.engine.image;

import dev.muelle.engine.errors.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContentStoreTest {

    @TempDir
    Path root;

    private static ByteArrayInputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesBlobsUnderTheirSha256() throws IOException {
        ContentStore store = ContentStore.open(root);
        Digest d = store.write(text("hello"), null);
        assertThat(d.hex()).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(store.exists(d)).isTrue();
        assertThat(Files.readString(root.resolve("sha256").resolve(d.hex()))).isEqualTo("hello");
        assertThat(new String(store.readAllBytes(d), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(store.write(text("hello"), d)).isEqualTo(d); // idempotent
        store.delete(d);
        assertThat(store.exists(d)).isFalse();
        assertThatThrownBy(() -> store.read(d)).isInstanceOf(EngineException.NotFound.class);
    }

    @Test
    void digestMismatchLeavesNothing() throws IOException {
        ContentStore store = ContentStore.open(root);
        Digest claimed = Digest.of("something else");
        assertThatThrownBy(() -> store.write(text("hello"), claimed))
                .isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessageContaining("digest mismatch: expected " + claimed)
                .hasMessageContaining("got sha256:2cf24dba");
        assertThat(store.exists(claimed)).isFalse();
        assertThat(store.exists(Digest.of("hello"))).isFalse();
        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void leftoverIngestsAreRemovedOnOpen() throws IOException {
        Files.createDirectories(root.resolve("ingest"));
        Files.writeString(root.resolve("ingest/half-written"), "partial");
        ContentStore.open(root);
        assertThat(root.resolve("ingest/half-written")).doesNotExist();
    }
}
