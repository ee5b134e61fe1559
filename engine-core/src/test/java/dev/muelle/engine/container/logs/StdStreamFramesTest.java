package dev.muelle.engine.container.logs;

import dev.muelle.engine.runtime.StdStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StdStreamFramesTest {

    @Test
    void headerCarriesStreamAndBigEndianLength() {
        assertThat(StdStreamFrames.header(StdStream.STDOUT, 5)).containsExactly(1, 0, 0, 0, 0, 0, 0, 5);
        assertThat(StdStreamFrames.header(StdStream.STDERR, 0x01020304)).containsExactly(2, 0, 0, 0, 1, 2, 3, 4);
        assertThat(StdStreamFrames.header(StdStream.STDIN, 256)).containsExactly(0, 0, 0, 0, 0, 0, 1, 0);
    }

    @Test
    void lengthAbove2GiBIsNotRepresentable() {
        assertThat(StdStreamFrames.header(StdStream.STDOUT, Integer.MAX_VALUE))
                .containsExactly(1, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff);
        assertThatThrownBy(() -> StdStreamFrames.header(StdStream.STDOUT, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
