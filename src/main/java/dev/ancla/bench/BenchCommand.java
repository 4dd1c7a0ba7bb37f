package dev.ancla.bench;

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
 * add to the start-up time of the commands they measure.
 */
@Command(name = "bench", hidden = true, description = "Benchmarks (docs/BENCHMARKS.md).")
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    var benchmarks = new CommandLine(new Benchmarks());
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
      description = "Benchmarks on the ChromaDB baseline's synthetic corpus (docs/BENCHMARKS.md).",
      subcommands = {
        SyntheticCommand.class,
        FirstQueryCommand.class,
        ColdStartCommand.class,
        QueriesCommand.class,
        HttpCommand.class,
        IngestCommand.class,
        ResyncCommand.class,
        AotTrainCommand.class,
      })
  static final class Benchmarks implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }
}
