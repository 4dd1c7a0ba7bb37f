package dev.ancla.cli;

import dev.ancla.Ancla;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
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
   * The subcommands, by name, in help order, as picocli takes them (an annotated class or a model)
   * for a context. Registered by {@link Main#runWithPicocli}: only the one invoked when the first
   * argument names one, since modelling every command (annotations, reflection) costs a one-shot
   * process tens of milliseconds (docs/BENCHMARKS.md).
   */
  static final Map<String, Function<CliContext, Object>> SUBCOMMANDS = subcommands();

  private static Map<String, Function<CliContext, Object>> subcommands() {
    var map = new LinkedHashMap<String, Function<CliContext, Object>>();
    map.put("init", c -> InitCommand.class);
    map.put("sync", c -> SyncCommand.class);
    map.put("reindex", c -> ReindexCommand.class);
    map.put("search", c -> PicocliModel.spec(new SearchCommand(), c));
    map.put("ask", c -> PicocliModel.spec(new AskCommand(), c));
    map.put("status", c -> PicocliModel.spec(new StatusCommand(), c));
    map.put("snapshot", c -> SnapshotCommand.class);
    map.put("serve", c -> PicocliModel.spec(new ServeCommand(), c));
    map.put("eval", c -> EvalCommand.class);
    map.put("bench", dev.ancla.bench.BenchCommand::new);
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
