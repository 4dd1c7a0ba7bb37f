package dev.ancla.cli;

import dev.ancla.Ancla;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "ancla",
    mixinStandardHelpOptions = true,
    versionProvider = AnclaCommand.Version.class,
    description = {
      "Ancla: a durable, incremental knowledge base for RAG.",
      "Configuration comes from ANCLA_* environment variables (see the README)."
    })
final class AnclaCommand {
  /**
   * The subcommands, by name, in help order. Registered by {@link Main#run}: only the one invoked
   * when the first argument names one, since modelling every command (annotations, reflection)
   * costs a one-shot process tens of milliseconds (docs/BENCHMARKS.md).
   */
  static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  private static Map<String, Class<?>> subcommands() {
    var map = new LinkedHashMap<String, Class<?>>();
    map.put("init", InitCommand.class);
    map.put("sync", SyncCommand.class);
    map.put("reindex", ReindexCommand.class);
    map.put("search", SearchCommand.class);
    map.put("ask", AskCommand.class);
    map.put("status", StatusCommand.class);
    map.put("snapshot", SnapshotCommand.class);
    map.put("serve", ServeCommand.class);
    map.put("eval", EvalCommand.class);
    map.put("bench", dev.ancla.bench.BenchCommand.class);
    return Collections.unmodifiableMap(map);
  }

  @Spec CommandSpec spec;

  private final CliContext context;

  AnclaCommand(CliContext context) {
    this.context = context;
  }

  CliContext context() {
    return context;
  }

  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ancla " + Ancla.VERSION};
    }
  }
}
