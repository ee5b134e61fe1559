package dev.muelle.engine.image;

import dev.muelle.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimestampsTest {

    private static final Instant NOW = Instant.parse("2026-01-02T00:00:00Z");

    @Test
    void durationsUnixSecondsAndRfc3339() {
        assertThat(Timestamps.parse("24h", NOW)).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(Timestamps.parse("1h30m", NOW)).isEqualTo(Instant.parse("2026-01-01T22:30:00Z"));
        assertThat(Timestamps.parse("1700000000.5", NOW)).isEqualTo(Instant.ofEpochSecond(1700000000, 500_000_000));
        assertThat(Timestamps.parse("2025-05-05T10:00:00Z", NOW)).isEqualTo(Instant.parse("2025-05-05T10:00:00Z"));
        assertThatThrownBy(() -> Timestamps.parse("yesterday", NOW)).isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessage("failed to parse value as time or duration: \"yesterday\"");
    }
}
