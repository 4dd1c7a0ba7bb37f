package dev.ancla.cli;

import dev.ancla.Ancla;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = "Index new and changed files, remove deleted ones, then exit.")
final class SyncCommand implements Callable<Integer> {
  @ParentCommand AnclaCommand parent;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CliContext context = parent.context();
    var config = context.config();
    try (Ancla ancla = Ancla.openForWriting(config, context.parts().apply(config))) {
      var report = SyncRunner.run(ancla, context);
      context.out().println(json ? Json.write(report.fields()) : SyncRunner.text(report));
      // a source that could not be listed fails the command, so scripts and cron notice
      return report.complete() && report.failedSources().isEmpty() ? 0 : 1;
    }
  }
}
