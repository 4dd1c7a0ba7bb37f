package dev.ancla.cli;

import java.util.List;
import java.util.Optional;

/**
 * The command line a {@link OneShotCommand} accepts, declared once for both parsers (see {@link
 * CliOption}). Every such command also has picocli's standard {@code -h/--help} and {@code
 * -V/--version}, which only picocli handles.
 *
 * @param path the words that select the command, e.g. {@code ["bench", "first-query"]}
 * @param description help lines; the first one is the command's summary in its parent's help
 * @param words the positional parameters, when the command takes any: one or more words
 */
public record CommandShape(
    List<String> path, List<String> description, Optional<Words> words, List<CliOption> options) {

  /** One or more positional words, joined by the command, e.g. a query. */
  public record Words(String label, String description) {}

  public CommandShape {
    path = List.copyOf(path);
    description = List.copyOf(description);
    options = List.copyOf(options);
    if (options.stream().flatMap(o -> o.names().stream()).distinct().count()
        != options.stream().mapToLong(o -> o.names().size()).sum()) {
      throw new IllegalArgumentException("an option name is declared twice in " + path);
    }
  }

  public String name() {
    return path.getLast();
  }

  /** The option with this name, short or long. */
  public Optional<CliOption> option(String name) {
    return options.stream().filter(o -> o.names().contains(name)).findFirst();
  }
}
