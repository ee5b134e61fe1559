package dev.muelle.engine.api;

import dev.muelle.engine.image.registry.RegistryAuth;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryAuthHeaderTest {

    @Test
    void decodesTheCliHeader() {
        String json = "{\"username\":\"alice\",\"password\":\"s3cr?t>\",\"serveraddress\":\"127.0.0.1:5000\"}";
        String header = Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        assertThat(RegistryAuthHeader.parse(header))
                .isEqualTo(new RegistryAuth("alice", "s3cr?t>", null, "127.0.0.1:5000"));
        String std = Base64.getEncoder().encodeToString("{\"identitytoken\":\"tok\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(RegistryAuthHeader.parse(std).identityToken()).isEqualTo("tok");
    }

    @Test
    void emptyOrGarbledHeadersMeanNoCredentials() {
        assertThat(RegistryAuthHeader.parse(null)).isEqualTo(RegistryAuth.ANONYMOUS);
        assertThat(RegistryAuthHeader.parse("e30=")).isEqualTo(RegistryAuth.ANONYMOUS);
        assertThat(RegistryAuthHeader.parse("%%%")).isEqualTo(RegistryAuth.ANONYMOUS);
        assertThat(RegistryAuth.ANONYMOUS.hasPassword()).isFalse();
    }
}
