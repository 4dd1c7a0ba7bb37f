package dev.ancla.cli;

import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.config.ConfigLoader;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every command needs from outside: the environment, where output goes, whether stderr is a
 * terminal, and how production parts are made. Tests build their own.
 */
public record CliContext(
    Map<String, String> env,
    PrintWriter out,
    PrintWriter err,
    boolean terminal,
    Function<Config, Ancla.Parts> parts) {

  private static final Logger log = LoggerFactory.getLogger(CliContext.class);

  /** Loads and validates the configuration, logging warnings once. */
  Config config() {
    var loaded = ConfigLoader.load(env, Runtime.getRuntime().availableProcessors());
    loaded.warnings().forEach(w -> log.warn(w));
    return loaded.config();
  }
}
