package dev.ancla.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * One log line as the pattern {@code %d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n} writes it, a
 * stack trace after it when there is one, written directly: compiling the pattern (PatternLayout's
 * converter tables and parser) cost ~5 ms of every CLI start (docs/BENCHMARKS.md §1).
 * LineLayoutTest checks that both give the same text.
 */
final class LineLayout extends LayoutBase<ILoggingEvent> {
  private final ZoneId zone;

  LineLayout(ZoneId zone) {
    this.zone = zone;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    var line = new StringBuilder(128);
    LocalTime time = LocalTime.ofInstant(event.getInstant(), zone);
    pad(line, time.getHour(), 2).append(':');
    pad(line, time.getMinute(), 2).append(':');
    pad(line, time.getSecond(), 2).append('.');
    pad(line, time.getNano() / 1_000_000, 3).append(' ');
    String level = event.getLevel().toString();
    line.append(level).repeat(' ', Math.max(0, 5 - level.length())).append(' ');
    String logger = event.getLoggerName();
    line.append(logger, logger.lastIndexOf('.') + 1, logger.length());
    line.append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    if (event.getThrowableProxy() != null) {
      line.append(ThrowableProxyUtil.asString(event.getThrowableProxy())); // ends with a newline
    }
    return line.toString();
  }

  private static StringBuilder pad(StringBuilder line, int value, int digits) {
    String text = String.valueOf(value);
    return line.repeat('0', digits - text.length()).append(text);
  }
}
