package dev.ancla.bench;

import dev.ancla.cli.CliContext;
import dev.ancla.cli.PicocliModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * Benchmarks against the ChromaDB baseline (docs/BENCHMARKS.md). Hidden: a tool for the project,
 * not part of the user-facing CLI, and never run by the test suite.
 *
 * <p>Its subcommands are parsed by a second command line built only when {@code bench} runs:
 * picocli reflects over every registered command at start-up, and the benchmark commands must not
 * add to the start-up time of the commands they measure. {@code first-query} and {@code aot-train}
 * usually run on the CLI's fast path and never get here (dev.ancla.cli.FastPath).
 */
@Command(name = "bench", hidden = true, description = "Benchmarks (docs/BENCHMARKS.md).")
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Unmatched List<String> args = new ArrayList<>();

  private final CliContext context;

  public BenchCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    var benchmarks = new CommandLine(new Benchmarks());
    // in help order
    benchmarks.addSubcommand(SyntheticCommand.class);
    benchmarks.addSubcommand(PicocliModel.spec(new FirstQueryCommand(), context));
    benchmarks.addSubcommand(ColdStartCommand.class);
    benchmarks.addSubcommand(QueriesCommand.class);
    benchmarks.addSubcommand(HttpCommand.class);
    benchmarks.addSubcommand(IngestCommand.class);
    benchmarks.addSubcommand(ResyncCommand.class);
    benchmarks.addSubcommand(DriveCommand.class);
    benchmarks.addSubcommand(PicocliModel.spec(new AotTrainCommand(), context));
    benchmarks.setOut(spec.commandLine().getOut());
    benchmarks.setErr(spec.commandLine().getErr());
    var failure = new Exception[1];
    benchmarks.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          failure[0] = e; // rethrown below, so the main command line reports it once
          return 1;
        });
    int exitCode = benchmarks.execute(args.toArray(String[]::new));
    if (failure[0] != null) {
      throw failure[0];
    }
    return exitCode;
  }

  @Command(
      name = "ancla bench",
      mixinStandardHelpOptions = true,
      description = "Benchmarks on the ChromaDB baseline's synthetic corpus (docs/BENCHMARKS.md).")
  static final class Benchmarks implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }
}
