package dev.muelle.engine.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Progress bars exactly as dockerd 20.10 rendered them pushing to a local registry. */
class ProgressStreamTest {

    @Test
    void barsMatchDockerd() {
        assertThat(ProgressStream.bar(33792, 2097152))
                .isEqualTo("[>                                                  ]  33.79kB/2.097MB");
        assertThat(ProgressStream.bar(1016832, 1048576))
                .isEqualTo("[================================================>  ]  1.017MB/1.049MB");
        assertThat(ProgressStream.bar(820224, 3145728))
                .isEqualTo("[=============>                                     ]  820.2kB/3.146MB");
        assertThat(ProgressStream.bar(2099200, 2097152))
                .isEqualTo("[==================================================>]  2.099MB");
        assertThat(ProgressStream.bar(2129920, 1984287))
                .isEqualTo("[==================================================>]   2.13MB");
    }

    @Test
    void humanSizesUseDecimalUnitsAndFourDigits() {
        assertThat(ProgressStream.humanSize(0)).isEqualTo("0B");
        assertThat(ProgressStream.humanSize(999)).isEqualTo("999B");
        assertThat(ProgressStream.humanSize(1000)).isEqualTo("1kB");
        assertThat(ProgressStream.humanSize(200_000)).isEqualTo("200kB");
        assertThat(ProgressStream.humanSize(1_234_567_890)).isEqualTo("1.235GB");
    }
}
