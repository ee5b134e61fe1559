package dev.muelle.engine.api;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ErrorMapperTest {

    @Test
    void engineErrorsMapToDockersStatuses() {
        assertThat(ErrorMapper.map(EngineException.NotFound.container("x"))).isEqualTo(new ErrorMapper.Mapped(404, "No such container: x"));
        assertThat(ErrorMapper.map(new EngineException.Conflict("c")).status()).isEqualTo(409);
        assertThat(ErrorMapper.map(new EngineException.InvalidParameter("p")).status()).isEqualTo(400);
        assertThat(ErrorMapper.map(new EngineException.NotModified("m")).status()).isEqualTo(304);
        assertThat(ErrorMapper.map(new IllegalStateException("boom")).status()).isEqualTo(500);
    }

    @Test
    void malformedJsonIsReportedInGosWords() {
        Throwable t = catchThrowable(() -> Json.parse("{bad"));
        assertThat(ErrorMapper.map(t)).isEqualTo(
                new ErrorMapper.Mapped(400, "invalid character 'b' looking for beginning of object key string"));
        Throwable end = catchThrowable(() -> Json.parse("{\"a\":"));
        assertThat(ErrorMapper.map(end).message()).isEqualTo("unexpected end of JSON input");
    }
}
