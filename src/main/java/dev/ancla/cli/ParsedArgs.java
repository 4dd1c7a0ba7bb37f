package dev.ancla.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values of one command line, whichever parser read it. {@code values} is keyed by long name
 * and holds every flag and int option (defaults applied) and the text options that were given.
 */
public record ParsedArgs(CommandShape shape, Map<String, Object> values, List<String> words) {

  public ParsedArgs {
    values = Map.copyOf(values);
    words = List.copyOf(words);
  }

  public boolean flag(String name) {
    return (Boolean) value(name, CliOption.Kind.FLAG);
  }

  public int integer(String name) {
    return (Integer) value(name, CliOption.Kind.INT);
  }

  public Optional<String> text(String name) {
    return Optional.ofNullable((String) value(name, CliOption.Kind.TEXT));
  }

  private Object value(String name, CliOption.Kind kind) {
    CliOption option =
        shape
            .option(name)
            .filter(o -> o.kind() == kind && o.longName().equals(name))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        shape.path() + " declares no " + kind + " option " + name));
    return values.get(option.longName());
  }
}
