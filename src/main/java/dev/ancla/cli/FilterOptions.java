package dev.ancla.cli;

import dev.ancla.query.Filter;
import java.util.List;

/** {@code --source}, {@code --path} and {@code --type}: the filters of search and ask. */
final class FilterOptions {
  private FilterOptions() {}

  static final List<CliOption> ALL =
      List.of(
          CliOption.text("--source", "Only files of this source."),
          CliOption.text("--path", "Only files whose path starts with this, e.g. manuales/2024/"),
          CliOption.text("--type", "Only files with this extension, e.g. pdf"));

  /**
   * @throws IllegalArgumentException for a blank value (reported as a failure, exit 1)
   */
  static Filter of(ParsedArgs args) {
    return new Filter(args.text("--source"), args.text("--path"), args.text("--type"));
  }
}
