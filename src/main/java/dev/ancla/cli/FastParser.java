package dev.ancla.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * Parses the plain command lines of a {@link CommandShape} without picocli, whose classes cost a
 * one-shot process ~100 ms to load (docs/BENCHMARKS.md §1).
 *
 * <p>Contract: it accepts a line only when picocli would parse it to the same values; for anything
 * else (help, version, an unknown or repeated option, a missing or odd value, {@code --}, an
 * {@code @file}, no words where words are required, a required option missing) it returns empty and
 * the caller hands the line to picocli, which prints the same errors and help as always. So it
 * never reports an error itself. {@code FastParserTest} checks the agreement on many lines.
 */
final class FastParser {
  private FastParser() {}

  static Optional<ParsedArgs> parse(CommandShape shape, List<String> args) {
    var values = new HashMap<String, Object>();
    var words = new ArrayList<String>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("@")) {
        return Optional.empty(); // picocli reads the arguments from that file when it exists
      }
      if (!arg.startsWith("-")) {
        if (shape.words().isEmpty()) {
          return Optional.empty();
        }
        words.add(arg);
        continue;
      }
      int eq = arg.indexOf('=');
      Optional<CliOption> found = shape.option(eq < 0 ? arg : arg.substring(0, eq));
      if (found.isEmpty() || values.containsKey(found.get().longName())) {
        return Optional.empty();
      }
      CliOption option = found.get();
      if (option.kind() == CliOption.Kind.FLAG) {
        if (eq >= 0) {
          return Optional.empty();
        }
        values.put(option.longName(), true);
        continue;
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        return Optional.empty();
      }
      Optional<Object> parsed = value(option, value);
      if (parsed.isEmpty()) {
        return Optional.empty();
      }
      values.put(option.longName(), parsed.get());
    }
    if (shape.words().isPresent() && words.isEmpty()
        || shape.options().stream()
            .anyMatch(o -> o.required() && !values.containsKey(o.longName()))) {
      return Optional.empty();
    }
    for (CliOption option : shape.options()) {
      switch (option.kind()) {
        case FLAG -> values.putIfAbsent(option.longName(), false);
        case INT ->
            values.putIfAbsent(
                option.longName(), Integer.parseInt(option.defaultValue().orElseThrow()));
        case TEXT -> {} // absent: not given
      }
    }
    return Optional.of(new ParsedArgs(shape, values, words));
  }

  /**
   * Plain values only: an empty one, or one that starts like an option or a file reference, is
   * picocli's to judge; ints in plain decimal, as picocli reads them alike.
   */
  private static Optional<Object> value(CliOption option, String value) {
    if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
      return Optional.empty();
    }
    if (option.kind() == CliOption.Kind.TEXT) {
      return Optional.of(value);
    }
    if (!value.matches("0|[1-9][0-9]{0,8}")) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(value));
  }
}
