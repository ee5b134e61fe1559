package dev.muelle.engine.container;

import dev.muelle.engine.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** dockerd's health bookkeeping: probe parsing with defaults, streaks, the start period, the log cap. */
class HealthRulesTest {

    private static HealthMonitor.Probe probe(String json) throws Exception {
        ContainerConfig cfg = new ContainerConfig();
        cfg.Healthcheck = Json.parse(json);
        return HealthMonitor.Probe.of(cfg);
    }

    private static Health.Result result(Instant start, int code) {
        return new Health.Result(start.toString(), start.plusMillis(10).toString(), code, "");
    }

    @Test
    void probesTakeDockerDefaultsAndShellForm() throws Exception {
        HealthMonitor.Probe p = probe("{\"Test\":[\"CMD-SHELL\",\"curl -f localhost\"]}");
        assertThat(p.command()).containsExactly("/bin/sh", "-c", "curl -f localhost");
        assertThat(p.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.retries()).isEqualTo(3);
        assertThat(probe("{\"Test\":[\"CMD\",\"true\"],\"Interval\":1000000000,\"Retries\":2}").command())
                .containsExactly("true");
        assertThat(probe("{\"Test\":[\"NONE\"]}")).isNull();
        assertThat(probe("{\"Test\":[]}")).isNull();
    }

    @Test
    void failuresCountUpToRetriesAndASuccessResets() throws Exception {
        HealthMonitor.Probe p = probe("{\"Test\":[\"CMD\",\"x\"],\"Retries\":2}");
        Health h = new Health();
        Instant started = Instant.now().minusSeconds(60);
        assertThat(HealthMonitor.apply(h, result(Instant.now(), 1), p, started)).isFalse();
        assertThat(h.Status).isEqualTo("starting");
        assertThat(HealthMonitor.apply(h, result(Instant.now(), 1), p, started)).isTrue();
        assertThat(h.Status).isEqualTo("unhealthy");
        assertThat(h.FailingStreak).isEqualTo(2);
        assertThat(HealthMonitor.apply(h, result(Instant.now(), 0), p, started)).isTrue();
        assertThat(h.Status).isEqualTo("healthy");
        assertThat(h.FailingStreak).isZero();
    }

    @Test
    void failuresInTheStartPeriodDoNotCountAndTheLogKeepsFive() throws Exception {
        HealthMonitor.Probe p = probe("{\"Test\":[\"CMD\",\"x\"],\"Retries\":1,\"StartPeriod\":60000000000}");
        Health h = new Health();
        Instant started = Instant.now();
        for (int i = 0; i < 7; i++) {
            HealthMonitor.apply(h, result(started.plusSeconds(i), 1), p, started);
        }
        assertThat(h.Status).isEqualTo("starting");
        assertThat(h.FailingStreak).isZero();
        assertThat(h.Log).hasSize(5);
        assertThat(h.Log.get(0).Start).isEqualTo(started.plusSeconds(2).toString());
    }

    @Test
    void timeoutsReadAsGoDurations() {
        for (var c : List.of(List.of(1000L, "1s"), List.of(1500L, "1.5s"), List.of(500L, "500ms"),
                List.of(90_000L, "1m30s"), List.of(3_600_000L, "1h0m0s"))) {
            assertThat(HealthMonitor.goDuration(Duration.ofMillis((Long) c.get(0)))).isEqualTo(c.get(1));
        }
    }

    @Test
    void psShowsTheHealthAfterUp() {
        Container c = new Container();
        c.State.Running = true;
        c.State.StartedAt = Instant.now().toString();
        c.State.Health = new Health();
        assertThat(ContainerViews.status(c)).isEqualTo("Up Less than a second (health: starting)");
        c.State.Health.Status = "unhealthy";
        assertThat(ContainerViews.status(c)).isEqualTo("Up Less than a second (unhealthy)");
    }
}
