package dev.ancla.cli;

import dev.ancla.snapshot.Manifest;
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
    description =
        "Read every blob of a snapshot (the newest by default) and check its length, SHA-256 and Lucene checksum. Exit 1 when anything is wrong.")
final class SnapshotVerifyCommand implements Callable<Integer> {
  @ParentCommand SnapshotCommand parent;

  @Option(names = "--id", description = "The snapshot to verify, e.g. 20261125T101500123Z-7.")
  String id;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CliContext context = parent.context();
    var config = context.config();
    var spec = SnapshotCommand.spec(config);
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
}
