package dev.ancla.cli;

import dev.ancla.Ancla;
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
    },
    subcommands = {
      InitCommand.class,
      SyncCommand.class,
      SearchCommand.class,
      AskCommand.class,
      StatusCommand.class,
      SnapshotCommand.class,
      ServeCommand.class,
      dev.ancla.bench.BenchCommand.class
    })
final class AnclaCommand {
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
