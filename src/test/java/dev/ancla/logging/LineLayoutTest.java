package dev.ancla.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written layout against logback's own rendering of the same pattern. */
class LineLayoutTest {
  private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";

  @Test
  void writesWhatThePatternWrites() {
    var context = new LoggerContext();
    var pattern = new PatternLayout();
    pattern.setContext(context);
    pattern.setPattern(PATTERN);
    pattern.start();
    var lines = new LineLayout(ZoneId.systemDefault());
    lines.setContext(context);
    lines.start();
    var failure = new UncheckedIOException("cannot read x", new IOException("disk on fire"));
    failure.addSuppressed(new IllegalStateException("and this"));
    for (var level : List.of(Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR)) {
      for (String logger : List.of("dev.ancla.Ancla", "Root", "a.b.C$Inner")) {
        for (long millis : List.of(0L, 1_764_069_123_004L, 1_764_112_399_999L)) {
          for (Throwable thrown : new Throwable[] {null, failure}) {
            var event =
                new LoggingEvent(
                    "fqcn",
                    context.getLogger(logger),
                    level,
                    "opened index: {} documents in {} ms",
                    thrown,
                    new Object[] {"13,457", 37});
            event.setTimeStamp(millis);
            assertEquals(pattern.doLayout(event), lines.doLayout(event), level + " " + logger);
          }
        }
      }
    }
  }
}
