package dev.ancla.cli;

import dev.ancla.Ancla;
import dev.ancla.BootOutcome;
import dev.ancla.index.CommitInfo;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Make sure a complete index exists, then exit.",
      "Opens an existing complete index as it is (no re-indexing), resumes an indexing that was"
          + " interrupted, restores the newest snapshot when there is no index and ANCLA_SNAPSHOT_URL"
          + " is set, or builds the index from the sources."
    })
final class InitCommand implements Callable<Integer> {
  @ParentCommand AnclaCommand parent;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CliContext context = parent.context();
    var config = context.config();
    try (Ancla ancla = Ancla.openForWriting(config, context.parts().apply(config))) {
      BootOutcome boot = ancla.boot();
      var result = new LinkedHashMap<String, Object>();
      result.put(
          "boot",
          switch (boot) {
            case BootOutcome.Opened _ -> "opened";
            case BootOutcome.Resuming _ -> "resumed";
            case BootOutcome.Created _ -> "created";
            case BootOutcome.Restored _ -> "restored";
          });
      result.put("message", boot.describe()); // the boot line itself is logged by Ancla
      int exit = 0;
      boolean complete =
          boot instanceof BootOutcome.Opened
              || (boot instanceof BootOutcome.Restored
                  && ancla.index().lastCommit().map(CommitInfo::complete).orElse(false));
      if (!complete) {
        var report = SyncRunner.run(ancla, context);
        result.put("sync", report.fields());
        if (!json) {
          context.out().println(SyncRunner.text(report));
        }
        exit = report.complete() ? 0 : 1;
      }
      var counts = ancla.index().counts();
      result.put("documents", counts.documents());
      result.put("chunks", counts.chunks());
      result.put("failed", counts.failed());
      result.put("skipped", counts.skipped());
      if (json) {
        context.out().println(Json.write(result));
      }
      return exit;
    }
  }
}
