package dev.muelle.engine.container;

import dev.muelle.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Docker's small rules the container service applies: signals, detach keys, limits, status text. */
class ContainerRulesTest {

    @Test
    void signalsByNameShortNameAndNumber() {
        assertThat(Signals.parse("SIGTERM", 0)).isEqualTo(15);
        assertThat(Signals.parse("kill", 0)).isEqualTo(9);
        assertThat(Signals.parse("10", 0)).isEqualTo(10);
        assertThat(Signals.parse(null, 15)).isEqualTo(15);
        assertThatThrownBy(() -> Signals.parse("SIGNOPE", 0)).isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessage("Invalid signal: SIGNOPE");
    }

    @Test
    void detachKeys() {
        assertThat(DetachKeys.parse(null)).containsExactly(16, 17);
        assertThat(DetachKeys.parse("ctrl-a,x")).containsExactly(1, 'x');
        assertThat(DetachKeys.parse("ctrl-[")).containsExactly(27);
        assertThatThrownBy(() -> DetachKeys.parse("ctrl-aa")).hasMessageContaining("Invalid detach keys");
    }

    @Test
    void memoryBelowSixMegabytesIsRefusedWithDockersMessage() {
        HostConfig hc = new HostConfig();
        hc.Memory = 1024L;
        assertThatThrownBy(() -> Validation.hostConfig(hc, 2))
                .isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessage("Minimum memory limit allowed is 6MB");
    }

    @Test
    void cpusAreBoundedByTheHost() {
        HostConfig hc = new HostConfig();
        hc.NanoCpus = 3_000_000_000L;
        assertThatThrownBy(() -> Validation.hostConfig(hc, 2))
                .hasMessage("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available");
    }

    @Test
    void autoRemoveExcludesRestartPolicies() {
        HostConfig hc = new HostConfig();
        hc.AutoRemove = true;
        hc.RestartPolicy = new HostConfig.RestartPolicy();
        hc.RestartPolicy.Name = "always";
        assertThatThrownBy(() -> Validation.hostConfig(hc, 2))
                .hasMessage("can't create 'AutoRemove' container with restart policy");
    }

    @Test
    void containerNames() {
        Validation.name("spark_docker");
        Validation.name("/web.1-a");
        assertThatThrownBy(() -> Validation.name("-bad")).hasMessageContaining("Invalid container name (-bad)");
        assertThatThrownBy(() -> Validation.name("a")).hasMessageContaining("Invalid container name");
    }

    @Test
    void humanDurationsAsTheCliPrintsThem() {
        assertThat(ContainerViews.human(Duration.ofMillis(300))).isEqualTo("Less than a second");
        assertThat(ContainerViews.human(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(ContainerViews.human(Duration.ofSeconds(42))).isEqualTo("42 seconds");
        assertThat(ContainerViews.human(Duration.ofSeconds(90))).isEqualTo("About a minute");
        assertThat(ContainerViews.human(Duration.ofMinutes(5))).isEqualTo("5 minutes");
        assertThat(ContainerViews.human(Duration.ofMinutes(61))).isEqualTo("About an hour");
        assertThat(ContainerViews.human(Duration.ofHours(30))).isEqualTo("30 hours");
        assertThat(ContainerViews.human(Duration.ofDays(3))).isEqualTo("3 days");
    }
}
