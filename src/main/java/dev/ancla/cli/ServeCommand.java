package dev.ancla.cli;

import dev.ancla.server.AnclaServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ancla serve}. Parsed without picocli when the line is plain ({@link FastPath}): a server's
 * start-up is part of every deploy and restart, and picocli's model costs ~0.1-0.3 s of it.
 */
final class ServeCommand implements OneShotCommand {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  private static final CommandShape SHAPE =
      new CommandShape(
          List.of("serve"),
          List.of(
              "Serve the HTTP API on ANCLA_HOST:ANCLA_PORT until SIGTERM or SIGINT.",
              "The port opens at once; the index opens next (then /readyz answers 200), and"
                  + " indexing starts in the background when the index is missing or unfinished."),
          Optional.empty(),
          List.of());

  @Override
  public CommandShape shape() {
    return SHAPE;
  }

  @Override
  public int run(CliContext context, ParsedArgs args) throws Exception {
    var config = context.config();
    AnclaServer server =
        AnclaServer.start(config, context.parts().apply(config), Clock.systemUTC());
    // On stdout, so that scripts and tests learn the port (ANCLA_PORT=0 picks one); the first
    // line's format is relied on.
    context.out().println("ancla serving on " + server.url());
    context.out().println("  chat:  " + server.url() + "/");
    context
        .out()
        .println(
            "  admin: "
                + server.url()
                + "/admin"
                + (config.server().adminToken().isPresent()
                    ? ""
                    : " (set ANCLA_ADMIN_TOKEN to use it)"));
    Duration budget = config.server().shutdownBudget();
    Runnable stop =
        () -> {
          watchdog(budget);
          server.shutdown();
        };
    Thread hook = new Thread(stop, "ancla-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Signals.stopThenExit(stop); // before the JVM's hooks: see Signals
    try {
      server.open();
    } catch (IOException | RuntimeException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      server.shutdown();
      throw e;
    }
    server.awaitShutdown();
    return 0;
  }

  /**
   * The platform kills the process when its grace period ends (App Platform: 120 s); exiting at the
   * budget instead is as safe (the index is crash-safe) and says why.
   */
  private static void watchdog(Duration budget) {
    Thread.ofPlatform()
        .daemon(true)
        .name("ancla-shutdown-watchdog")
        .start(
            () -> {
              try {
                Thread.sleep(budget);
              } catch (InterruptedException e) {
                return;
              }
              log.error(
                  "shutdown took longer than ANCLA_SHUTDOWN_SECONDS ({} s); exiting now",
                  budget.toSeconds());
              Runtime.getRuntime().halt(1);
            });
  }
}
