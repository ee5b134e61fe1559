package dev.muelle.desktop.text;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AnsiTextTest {

    @Test
    void coloursAndBoldBecomeRuns() {
        var runs = AnsiText.parse("plain \u001b[1;31mred bold\u001b[0m \u001b[92mbright\u001b[39m end");
        assertThat(runs).extracting(AnsiText.Run::text).containsExactly("plain ", "red bold", " ", "bright", " end");
        assertThat(runs.get(1).foreground()).isEqualTo(1);
        assertThat(runs.get(1).bold()).isTrue();
        assertThat(runs.get(2).foreground()).isEqualTo(-1);
        assertThat(runs.get(3).foreground()).isEqualTo(10);
    }

    @Test
    void palette256AndOtherSequencesAreHandled() {
        var runs = AnsiText.parse("\u001b]0;title\u0007\u001b[38;5;208morange\u001b[2K\u001b[H!");
        assertThat(runs).extracting(AnsiText.Run::text).containsExactly("orange", "!");
        assertThat(runs.get(0).foreground()).isEqualTo(208);
        assertThat(AnsiText.plain("\u001b[32mok\u001b[0m\r")).isEqualTo("ok");
    }

    @Test
    void sizesAndAgesReadLikeTheCli() {
        assertThat(Formats.bytes(512)).isEqualTo("512 B");
        assertThat(Formats.bytes(256L << 20)).isEqualTo("256 MiB");
        assertThat(Formats.bytes(1536)).isEqualTo("1.5 KiB");
        Instant now = Instant.ofEpochSecond(1_000_000);
        assertThat(Formats.ago(1_000_000 - 30, now)).isEqualTo("less than a minute ago");
        assertThat(Formats.ago(1_000_000 - 3600, now)).isEqualTo("1 hour ago");
        assertThat(Formats.ago(1_000_000 - 5 * 86400, now)).isEqualTo("5 days ago");
    }
}
