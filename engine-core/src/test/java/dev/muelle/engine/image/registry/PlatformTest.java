package dev.muelle.engine.image.registry;

import dev.muelle.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlatformTest {

    @Test
    void parsesAndNormalisesLikeContainerd() {
        assertThat(Platform.parse("linux/amd64")).isEqualTo(new Platform("linux", "amd64", null));
        assertThat(Platform.parse("linux/x86_64")).isEqualTo(new Platform("linux", "amd64", null));
        assertThat(Platform.parse("linux/arm64/v8")).isEqualTo(new Platform("linux", "arm64", null));
        assertThat(Platform.parse("linux/arm/v7")).isEqualTo(new Platform("linux", "arm", "v7"));
        assertThat(Platform.parse("")).isEqualTo(Platform.host());
        assertThatThrownBy(() -> Platform.parse("a/b/c/d")).isInstanceOf(EngineException.InvalidParameter.class);
    }

    @Test
    void matchesIndexEntries() {
        assertThat(Platform.parse("linux/arm64").matches("linux", "arm64", "v8")).isTrue();
        assertThat(Platform.parse("linux/arm/v7").matches("linux", "arm", "v6")).isFalse();
        assertThat(Platform.parse("linux/arm").matches("linux", "arm", "v6")).isTrue();
        assertThat(Platform.parse("linux/amd64").matches("windows", "amd64", null)).isFalse();
    }
}
