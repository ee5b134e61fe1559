package dev.muelle.engine.image.registry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuthChallengeTest {

    @Test
    void bearerChallengeNamesRealmServiceAndScope() {
        AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/busybox:pull\"").orElseThrow();
        assertThat(c.isBearer()).isTrue();
        assertThat(c.param("realm")).isEqualTo("https://auth.docker.io/token");
        assertThat(c.param("service")).isEqualTo("registry.docker.io");
        assertThat(c.param("scope")).isEqualTo("repository:library/busybox:pull");
    }

    @Test
    void basicChallengeAndOddSpacing() {
        AuthChallenge c = AuthChallenge.parse("Basic realm=\"muelle test\"").orElseThrow();
        assertThat(c.isBasic()).isTrue();
        assertThat(c.param("realm")).isEqualTo("muelle test");
        assertThat(AuthChallenge.parse("bearer realm=x , service=\"a,b\"").orElseThrow().params())
                .containsEntry("realm", "x").containsEntry("service", "a,b");
        assertThat(AuthChallenge.parse("")).isEmpty();
        assertThat(AuthChallenge.parse(null)).isEmpty();
    }
}
