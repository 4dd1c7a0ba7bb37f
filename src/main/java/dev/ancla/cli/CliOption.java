package dev.ancla.cli;

import java.util.List;
import java.util.Optional;

/**
 * One option of a {@link OneShotCommand}, declared once: {@link FastParser} parses it and {@link
 * PicocliModel} turns it into picocli's model for help and for every command line the fast parser
 * leaves to picocli.
 *
 * @param names short name first when there is one, the long name ({@code --k}) last
 * @param kind what the option takes
 * @param defaultValue as picocli takes it (a string); only for {@link Kind#INT}
 * @param required whether the command line must give it; only for {@link Kind#TEXT}
 * @param description help lines; {@code ${DEFAULT-VALUE}} is replaced by picocli
 */
public record CliOption(
    List<String> names,
    Kind kind,
    Optional<String> defaultValue,
    boolean required,
    List<String> description) {

  /** Values: a flag is a Boolean, an int an Integer, a text a String (absent when not given). */
  public enum Kind {
    FLAG,
    INT,
    TEXT
  }

  public CliOption {
    names = List.copyOf(names);
    description = List.copyOf(description);
    if (names.isEmpty() || !names.getLast().startsWith("--")) {
      throw new IllegalArgumentException("the last name must be the long one: " + names);
    }
    if (defaultValue.isPresent() != (kind == Kind.INT)) {
      throw new IllegalArgumentException(names.getLast() + ": only int options have a default");
    }
    if (required && kind != Kind.TEXT) {
      throw new IllegalArgumentException(names.getLast() + ": only text options can be required");
    }
  }

  public static CliOption flag(String name, String... description) {
    return new CliOption(List.of(name), Kind.FLAG, Optional.empty(), false, List.of(description));
  }

  public static CliOption integer(List<String> names, int defaultValue, String... description) {
    return new CliOption(
        names, Kind.INT, Optional.of(String.valueOf(defaultValue)), false, List.of(description));
  }

  public static CliOption text(String name, String... description) {
    return new CliOption(List.of(name), Kind.TEXT, Optional.empty(), false, List.of(description));
  }

  public static CliOption requiredText(String name, String... description) {
    return new CliOption(List.of(name), Kind.TEXT, Optional.empty(), true, List.of(description));
  }

  /** The name values are looked up by, e.g. {@code --k}. */
  public String longName() {
    return names.getLast();
  }

  /** What help shows for the value, as picocli names an annotated field's: {@code <k>}. */
  public String paramLabel() {
    return "<" + longName().substring(2) + ">";
  }
}
