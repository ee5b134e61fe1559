package dev.muelle.engine.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RouterTest {

    private final Router.Handler a = (q, s) -> { };
    private final Router.Handler b = (q, s) -> { };
    private final Router router = new Router()
            .get("/images/json", a)
            .get("/images/{name*}/json", b)
            .post("/containers/{id}/start", a);

    @Test
    void fixedPathsWinOverGreedyNamesRegisteredAfterThem() {
        assertThat(router.match("GET", "/images/json").handler()).isSameAs(a);
    }

    @Test
    void greedyNamesKeepRegistryAndSlashes() {
        Router.Match m = router.match("GET", "/images/localhost:5000/team/app:v1/json");
        assertThat(m.handler()).isSameAs(b);
        assertThat(m.params()).containsEntry("name", "localhost:5000/team/app:v1");
    }

    @Test
    void singleSegmentParametersStopAtSlashes() {
        assertThat(router.match("POST", "/containers/abc/start").params()).containsEntry("id", "abc");
        assertThat(router.match("POST", "/containers/a/b/start")).isNull();
    }

    @Test
    void headIsServedByGetAndOtherMethodsDoNotMatch() {
        assertThat(router.match("HEAD", "/images/json")).isNotNull();
        assertThat(router.match("DELETE", "/images/json")).isNull();
    }

    @Test
    void comparesApiVersionsNumerically() {
        assertThat(ApiRequest.compareVersions("1.47", "1.9")).isPositive();
        assertThat(ApiRequest.compareVersions("1.24", "1.24")).isZero();
        assertThat(ApiRequest.compareVersions("1.23", "1.24")).isNegative();
    }
}
