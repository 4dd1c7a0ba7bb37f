package dev.ancla.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How a benchmark starts Ancla as a child process: the launcher and extra environment. */
final class LauncherOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--launcher",
      defaultValue = "./ancla",
      description = "Command that starts Ancla.")
  String launcher;

  @Option(
      names = "--env",
      description = "KEY=VALUE for the Ancla child, e.g. ANCLA_JAVA_OPTS=-Xmx256m; repeatable.")
  List<String> env = new ArrayList<>();

  /** The launcher's words followed by {@code args}. */
  List<String> command(String... args) {
    var command = new ArrayList<>(List.of(launcher.split(" ")));
    command.addAll(List.of(args));
    return command;
  }

  /**
   * The {@code --env} pairs as a map, over {@code ANCLA_AOT=wait}; a pair without '=' is a usage
   * error.
   */
  Map<String, String> environment() {
    var map = new HashMap<String, String>();
    // a warm-up start trains the launcher's start-up cache before the timed ones, not beside them
    map.put("ANCLA_AOT", "wait");
    for (String pair : env) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(
            spec.commandLine(),
            "--env \"" + pair + "\" is not KEY=VALUE, e.g. --env ANCLA_JAVA_OPTS=-Xmx256m");
      }
      map.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return map;
  }
}
