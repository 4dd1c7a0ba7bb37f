package dev.ancla.cli;

import dev.ancla.snapshot.LocalBlobs;
import dev.ancla.snapshot.Manifest;
import dev.ancla.snapshot.Scrubber;
import dev.ancla.snapshot.Verifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Read every blob of a snapshot (the newest by default) and check its length, SHA-256 and Lucene checksum. Exit 1 when anything is wrong.",
      "With --all: read every blob in the store (a scrub), upload again from the local index each damaged one it still holds, mark bad the snapshots that need one it does not, and exit 1 if any is left."
    })
final class SnapshotVerifyCommand implements Callable<Integer> {
  @ParentCommand SnapshotCommand parent;

  @Option(names = "--id", description = "The snapshot to verify, e.g. 20261125T101500123Z-7.")
  String id;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Option(
      names = "--all",
      description =
          "Scrub: read every blob in the store against its SHA-256 and repair from the local index.")
  boolean all;

  @Override
  public Integer call() throws Exception {
    CliContext context = parent.context();
    var config = context.config();
    var spec = SnapshotCommand.spec(config);
    if (all) {
      if (id != null) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), "--all reads every blob; leave out --id");
      }
      return scrub(context, config, spec);
    }
    var out = new LinkedHashMap<String, Object>();
    List<String> problems;
    try (var store = SnapshotCommand.open(config)) {
      String chosen = SnapshotCommand.pick(store, id);
      out.put("id", chosen);
      try {
        Manifest m = Manifest.load(store, chosen);
        out.put("files", m.files().size());
        out.put("bytes", m.bytes());
        problems = new Verifier(store, spec.threads()).verify(m);
      } catch (Manifest.CorruptException e) {
        problems = List.of(e.getMessage());
      }
    }
    out.put("ok", problems.isEmpty());
    out.put("problems", problems);
    if (json) {
      context.out().println(Json.write(out));
    } else if (problems.isEmpty()) {
      context
          .out()
          .println(
              "snapshot " + out.get("id") + " is whole: " + out.get("files") + " files verified");
    } else {
      context.out().println("snapshot " + out.get("id") + " is damaged:");
      problems.forEach(p -> context.out().println("  " + p));
    }
    return problems.isEmpty() ? 0 : 1;
  }

  private int scrub(
      CliContext context, dev.ancla.config.Config config, dev.ancla.config.Config.SnapshotSpec spec)
      throws java.io.IOException {
    Scrubber.Report report;
    try (var store = SnapshotCommand.open(config)) {
      report =
          new Scrubber(
                  store, spec.threads(), java.util.Optional.of(new LocalBlobs(config.indexDir())))
              .all();
    }
    var out = new LinkedHashMap<String, Object>();
    out.put("ok", report.clean());
    out.put("blobs", report.blobs());
    out.put("bytes", report.bytes());
    out.put("damaged", report.damaged());
    out.put("repaired", report.repaired());
    out.put("unrepaired", report.unrepaired());
    out.put("markedBad", report.markedBad());
    if (json) {
      context.out().println(Json.write(out));
    } else {
      context
          .out()
          .println(
              "read "
                  + report.blobs()
                  + " blobs ("
                  + SnapshotCommand.mb(report.bytes())
                  + "): "
                  + report.damaged().size()
                  + " damaged, "
                  + report.repaired().size()
                  + " repaired from "
                  + config.indexDir());
      report.damaged().forEach(d -> context.out().println("  damaged: " + d));
      report
          .unrepaired()
          .forEach(
              k ->
                  context
                      .out()
                      .println("  NOT repaired (the local index no longer holds it): " + k));
      report.markedBad().forEach(m -> context.out().println("  snapshot marked bad: " + m));
    }
    return report.clean() ? 0 : 1;
  }
}
