package dev.ancla.logging;

import static java.nio.charset.StandardCharsets.UTF_8;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Hands the console's log lines to someone else for a while: a progress bar drawn in place on the
 * terminal must print them above itself, or they land inside it.
 */
public final class ConsoleLog {
  private ConsoleLog() {}

  /** Something to undo; closing it twice is harmless. */
  public interface Redirection extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Until the result is closed, each log line that would go to stderr (formatted as there, ending
   * with a newline) goes to {@code lines} instead, one call at a time. Does nothing when logging is
   * not set up by {@link LogConfigurator}.
   */
  public static Redirection redirect(Consumer<String> lines) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return () -> {};
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> console = root.getAppender(LogConfigurator.CONSOLE);
    if (!(console instanceof OutputStreamAppender<ILoggingEvent> stderr)) {
      return () -> {};
    }
    var handoff =
        new AppenderBase<ILoggingEvent>() {
          @Override
          protected void append(ILoggingEvent event) {
            lines.accept(new String(stderr.getEncoder().encode(event), UTF_8));
          }
        };
    handoff.setContext(context);
    handoff.setName("progress-handoff");
    handoff.start();
    root.addAppender(handoff);
    root.detachAppender(stderr);
    return new Redirection() {
      private boolean closed;

      @Override
      public synchronized void close() {
        if (closed) return;
        closed = true;
        root.addAppender(stderr);
        root.detachAppender(handoff);
        handoff.stop();
      }
    };
  }
}
