package dev.muelle.engine.system;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogSetupTest {

    private final LoggerContext context = new LoggerContext();

    private String line(Level level, String logger, String message, Throwable error, Object... args) {
        LogSetup.Line layout = new LogSetup.Line();
        layout.setContext(context);
        layout.start();
        LoggingEvent event = new LoggingEvent("test", context.getLogger(logger), level, message, error, args);
        return layout.doLayout(event);
    }

    @Test
    void oneLineWithIsoTimeLevelSimpleLoggerNameAndMessage() {
        String line = line(Level.INFO, "dev.muelle.engine.image.LayerStore", "removed {} layers", null, 3);
        assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) "
                + "INFO  LayerStore: removed 3 layers" + System.lineSeparator());
        assertThat(line(Level.WARN, "Plain", "x", null)).contains(" WARN  Plain: x");
        assertThat(line(Level.ERROR, "Plain", "x", null)).contains(" ERROR Plain: x");
    }

    @Test
    void aThrowableFollowsWithItsStackTrace() {
        String line = line(Level.ERROR, "a.B", "failed", new IllegalStateException("boom"));
        assertThat(line).contains("ERROR B: failed" + System.lineSeparator())
                .contains("java.lang.IllegalStateException: boom")
                .contains("at dev.muelle.engine.system.LogSetupTest");
    }
}
