package dev.muelle.engine.image;

import dev.muelle.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageReferenceTest {

    private static final String HEX = "a".repeat(64);

    @Test
    void bareNameIsAnOfficialDockerHubRepository() {
        ImageReference ref = ImageReference.parse("busybox");
        assertThat(ref.name()).isEqualTo("docker.io/library/busybox");
        assertThat(ref.tag()).isNull();
        assertThat(ref.withDefaultTag().toString()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(ref.withDefaultTag().familiarString()).isEqualTo("busybox:latest");
    }

    @Test
    void registriesUsersAndPortsAreKept() {
        assertThat(ImageReference.parse("localhost:5000/app:v1").familiarString()).isEqualTo("localhost:5000/app:v1");
        assertThat(ImageReference.parse("localhost:5000/app:v1").domain()).isEqualTo("localhost:5000");
        assertThat(ImageReference.parse("localhost/app").domain()).isEqualTo("localhost");
        assertThat(ImageReference.parse("user/app:1.0").name()).isEqualTo("docker.io/user/app");
        assertThat(ImageReference.parse("user/app:1.0").familiarString()).isEqualTo("user/app:1.0");
        assertThat(ImageReference.parse("index.docker.io/library/busybox").familiarName()).isEqualTo("busybox");
        assertThat(ImageReference.parse("ghcr.io/a/b/c:x").familiarString()).isEqualTo("ghcr.io/a/b/c:x");
        assertThat(ImageReference.parse("docker.io/library/a/b").familiarName()).isEqualTo("library/a/b");
    }

    @Test
    void digestsAreParsed() {
        ImageReference ref = ImageReference.parse("busybox@sha256:" + HEX);
        assertThat(ref.digest()).isEqualTo(new Digest(HEX));
        assertThat(ref.tag()).isNull();
        assertThat(ref.withDefaultTag()).isEqualTo(ref);
        assertThat(ref.familiarString()).isEqualTo("busybox@sha256:" + HEX);
        assertThat(ImageReference.parse("busybox:1@sha256:" + HEX).tag()).isEqualTo("1");
    }

    @Test
    void invalidReferencesUseDockersWording() {
        assertThatThrownBy(() -> ImageReference.parse("Busybox"))
                .isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessage("invalid reference format: repository name (library/Busybox) must be lowercase");
        assertThatThrownBy(() -> ImageReference.parse("busy box"))
                .isInstanceOf(EngineException.InvalidParameter.class).hasMessage("invalid reference format");
        assertThatThrownBy(() -> ImageReference.parse("busybox:"))
                .isInstanceOf(EngineException.InvalidParameter.class).hasMessage("invalid reference format");
        assertThatThrownBy(() -> ImageReference.parse(""))
                .isInstanceOf(EngineException.InvalidParameter.class).hasMessage("invalid reference format");
        assertThatThrownBy(() -> ImageReference.parse("-x"))
                .isInstanceOf(EngineException.InvalidParameter.class).hasMessage("invalid reference format");
        assertThatThrownBy(() -> ImageReference.parse(HEX))
                .hasMessage("invalid repository name (" + HEX + "), cannot specify 64-byte hexadecimal strings");
        assertThatThrownBy(() -> ImageReference.parse("a".repeat(300)))
                .hasMessageContaining("must not be more than 255 characters");
    }

    @Test
    void tagsGivenSeparatelyAreValidated() {
        assertThat(ImageReference.ofTag("app", "").toString()).isEqualTo("docker.io/library/app:latest");
        assertThat(ImageReference.ofTag("localhost:5000/app", "v2").familiarString()).isEqualTo("localhost:5000/app:v2");
        assertThatThrownBy(() -> ImageReference.ofTag("app", "bad tag")).hasMessage("invalid tag format");
        assertThatThrownBy(() -> ImageReference.ofTag("app@sha256:" + HEX, "x"))
                .hasMessage("refusing to create a tag with a digest reference");
    }
}
