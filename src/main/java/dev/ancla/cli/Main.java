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

  /**
   * Runs one command line; never exits the JVM, so tests can call it. A plain line of a one-shot
   * command runs without picocli ({@link FastPath}); every other line, help and errors included,
   * goes through picocli.
   */
  public static int run(CliContext context, String... args) {
    var fast = FastPath.standard().run(context, args);
    return fast.isPresent() ? fast.get() : runWithPicocli(context, args);
  }

  /** The whole CLI through picocli, fast-path commands included. */
  static int runWithPicocli(CliContext context, String... args) {
    // subcommands reach the context through their @ParentCommand or their model
    var commandLine = new CommandLine(new AnclaCommand(context));
    String first = args.length > 0 ? args[0] : "";
    if (AnclaCommand.SUBCOMMANDS.containsKey(first)) {
      commandLine.addSubcommand(first, AnclaCommand.SUBCOMMANDS.get(first).apply(context));
    } else { // help, a typo, nothing: all of them, for the usage message
      AnclaCommand.SUBCOMMANDS.forEach(
          (name, command) -> commandLine.addSubcommand(name, command.apply(context)));
    }
    commandLine.setOut(context.out());
    commandLine.setErr(context.err());
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> failure(context, e));
    return commandLine.execute(args);
  }

  /**
   * Reports a command that failed, the same way on both paths: one line on stderr (a stack trace
   * too with ANCLA_DEBUG=true, except for configuration problems); returns the exit code, 2 for a
   * configuration problem and 1 otherwise.
   */
  static int failure(CliContext context, Exception e) {
    context.err().println("ancla: " + message(e));
    if (!(e instanceof ConfigException)
        && Boolean.parseBoolean(context.env().getOrDefault("ANCLA_DEBUG", "false"))) {
      e.printStackTrace(context.err());
    }
    return e instanceof ConfigException ? 2 : 1;
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
