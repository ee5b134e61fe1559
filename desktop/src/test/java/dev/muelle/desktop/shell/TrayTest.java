package dev.muelle.desktop.shell;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tray without AWT: its menu model, and the rule that asking a tray that never answers
 * costs the caller nothing (it gets "no tray" at the deadline; the stuck thread is a daemon).
 */
class TrayTest {

    @Test
    void menuShowsTheWindowOrQuits() {
        List<String> ran = new ArrayList<>();
        List<Tray.Entry> menu = Tray.menu(() -> ran.add("show"), () -> ran.add("quit"));

        assertThat(menu).extracting(Tray.Entry::label).containsExactly("Show Muelle", null, "Quit");
        assertThat(menu.get(1).isSeparator()).isTrue();
        menu.get(0).action().run();
        menu.get(2).action().run();
        assertThat(ran).containsExactly("show", "quit");
    }

    @Test
    void aTrayThatNeverAnswersMeansNoTrayAtTheDeadline() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        var asker = new java.util.concurrent.CompletableFuture<Thread>();
        long started = System.nanoTime();
        var answer = Tray.answerWithin("ask for a system tray", () -> {
            asker.complete(Thread.currentThread());
            try {
                never.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }, Duration.ofMillis(300));

        assertThat(answer.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(asker.get(10, TimeUnit.SECONDS).isDaemon()).isTrue();
        never.countDown();
    }

    @Test
    void aFailingCheckMeansNoTray() throws Exception {
        var answer = Tray.answerWithin("ask for a system tray", () -> {
            throw new UnsupportedOperationException("no tray here");
        }, Duration.ofSeconds(5));

        assertThat(answer.get(10, TimeUnit.SECONDS)).isFalse();
    }
}
