package dev.ancla.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;

/**
 * Logging set up in code rather than from logback.xml: parsing XML cost about 45 ms of every CLI
 * start (docs/BENCHMARKS.md). Logs go to stderr, so JSON output on stdout stays machine-readable;
 * {@code ANCLA_LOG_LEVEL} sets the level (default INFO). Found by logback through {@code
 * META-INF/services}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  /** The name of the stderr appender, which {@link ConsoleLog} stands in for. */
  static final String CONSOLE = "STDERR";

  /** Chatty libraries, held back whatever the level. */
  private static final Map<String, Level> QUIET =
      Map.of(
          "org.apache.tika", Level.WARN,
          "org.apache.pdfbox", Level.ERROR,
          "org.apache.fontbox", Level.ERROR,
          "org.apache.poi", Level.ERROR,
          "ai.djl", Level.ERROR, // "Failed to detect GPU count" on every start
          "org.eclipse.jetty", Level.WARN, // the server logs its address itself
          "io.javalin", Level.WARN);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    var layout = new LineLayout(ZoneId.systemDefault());
    layout.setContext(context);
    layout.start();
    var encoder = new LayoutWrappingEncoder<ILoggingEvent>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    var appender = new ConsoleAppender<ILoggingEvent>();
    appender.setContext(context);
    appender.setName(CONSOLE);
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    root.setLevel(level(System.getenv("ANCLA_LOG_LEVEL")));
    QUIET.forEach((name, level) -> context.getLogger(name).setLevel(level));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  static Level level(String raw) {
    if (raw == null || raw.isBlank()) {
      return Level.INFO;
    }
    return switch (raw.strip().toUpperCase(Locale.ROOT)) {
      case "TRACE" -> Level.TRACE;
      case "DEBUG" -> Level.DEBUG;
      case "WARN", "WARNING" -> Level.WARN;
      case "ERROR" -> Level.ERROR;
      case "OFF" -> Level.OFF;
      default -> Level.INFO;
    };
  }
}
