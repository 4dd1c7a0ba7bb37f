package dev.ancla.cli;

import dev.ancla.server.AnclaServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the HTTP API on ANCLA_HOST:ANCLA_PORT until SIGTERM or SIGINT.",
      "The port opens at once; the index opens next (then /readyz answers 200), and indexing"
          + " starts in the background when the index is missing or unfinished."
    })
final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @ParentCommand AnclaCommand parent;

  @Override
  public Integer call() throws Exception {
    CliContext context = parent.context();
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
    Thread hook =
        new Thread(
            () -> {
              watchdog(budget);
              server.shutdown();
            },
            "ancla-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
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
