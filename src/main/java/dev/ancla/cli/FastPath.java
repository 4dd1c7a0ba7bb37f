package dev.ancla.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Runs a {@link OneShotCommand} straight from the arguments, before and without picocli: a cold
 * `ancla search` then loads none of picocli's classes, which the JDK's AOT cache cannot hold (Java
 * 5 class files) and which cost ~100 ms of every start (docs/BENCHMARKS.md §1).
 */
final class FastPath {
  private final List<OneShotCommand> commands;

  FastPath(List<OneShotCommand> commands) {
    this.commands = List.copyOf(commands);
  }

  /** The one-shot commands of the CLI. */
  static FastPath standard() {
    return new FastPath(
        List.of(
            new SearchCommand(),
            new AskCommand(),
            new StatusCommand(),
            new ServeCommand(),
            new dev.ancla.bench.FirstQueryCommand(),
            new dev.ancla.bench.AotTrainCommand()));
  }

  List<OneShotCommand> commands() {
    return commands;
  }

  /**
   * The exit code of the command these arguments name, or empty when none of these commands is
   * named or its line is not plain ({@link FastParser}): then picocli must run the line.
   */
  Optional<Integer> run(CliContext context, String... args) {
    for (OneShotCommand command : commands) {
      List<String> path = command.shape().path();
      if (args.length < path.size() || !Arrays.asList(args).subList(0, path.size()).equals(path)) {
        continue;
      }
      var rest = Arrays.asList(args).subList(path.size(), args.length);
      Optional<ParsedArgs> parsed =
          FastParser.parse(command.shape(), rest).filter(p -> command.usageError(p).isEmpty());
      if (parsed.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(command.run(context, parsed.get()));
      } catch (Exception e) {
        return Optional.of(Main.failure(context, e));
      }
    }
    return Optional.empty();
  }
}
