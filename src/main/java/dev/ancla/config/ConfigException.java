package dev.ancla.config;

import java.util.List;

/** Configuration that cannot work; the message lists every problem, one per line. */
public final class ConfigException extends IllegalArgumentException {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super("Ancla cannot start; fix the configuration:\n- " + String.join("\n- ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
