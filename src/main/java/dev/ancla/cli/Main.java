package dev.ancla.cli;

import dev.ancla.config.ConfigException;
import dev.ancla.index.DataDirLock;
import dev.ancla.sync.SyncService;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/** The command-line entry point. Exit codes: 0 ok, 1 failed, 2 bad usage or configuration. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    var out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    var err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    boolean terminal = System.console() != null && System.console().isTerminal();
    var context = new CliContext(System.getenv(), out, err, terminal, ProductionParts::forConfig);
    System.exit(run(context, args));
  }

  /** Runs one command line; never exits the JVM, so tests can call it. */
  public static int run(CliContext context, String... args) {
    // subcommands reach the context through their @ParentCommand
    var commandLine = new CommandLine(new AnclaCommand(context));
    String first = args.length > 0 ? args[0] : "";
    if (AnclaCommand.SUBCOMMANDS.containsKey(first)) {
      commandLine.addSubcommand(first, AnclaCommand.SUBCOMMANDS.get(first));
    } else { // help, a typo, nothing: all of them, for the usage message
      AnclaCommand.SUBCOMMANDS.forEach(commandLine::addSubcommand);
    }
    commandLine.setOut(context.out());
    commandLine.setErr(context.err());
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          context.err().println("ancla: " + message(e));
          if (!(e instanceof ConfigException)
              && Boolean.parseBoolean(context.env().getOrDefault("ANCLA_DEBUG", "false"))) {
            e.printStackTrace(context.err());
          }
          return e instanceof ConfigException ? 2 : 1;
        });
    return commandLine.execute(args);
  }

  /** What the user needs to act on, without a stack trace. */
  static String message(Throwable e) {
    return switch (e) {
      case ConfigException c -> c.getMessage();
      case DataDirLock.HeldException h -> h.getMessage();
      case SyncService.ModelMismatchException m -> m.getMessage();
      case NoSuchFileException n ->
          n.getFile() + (n.getReason() == null ? " does not exist" : ": " + n.getReason());
      default -> e.getMessage() == null ? e.toString() : e.getMessage();
    };
  }
}
