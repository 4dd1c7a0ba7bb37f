package dev.ancla.cli;

import dev.ancla.snapshot.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List snapshots, newest first.")
final class SnapshotListCommand implements Callable<Integer> {
  @ParentCommand SnapshotCommand parent;

  @Option(names = "--json", description = "Print the list as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CliContext context = parent.context();
    var config = context.config();
    var snapshots = new ArrayList<Map<String, Object>>();
    try (var store = SnapshotCommand.open(config)) {
      Manifest.Listing listing = Manifest.listing(store);
      for (String id : listing.ids()) {
        var row = new LinkedHashMap<String, Object>();
        row.put("id", id);
        row.put("bad", listing.bad().contains(id)); // failed verification: snapshots/<id>.bad
        try {
          Manifest m = Manifest.load(store, id);
          row.put("time", m.time());
          row.put("bytes", m.bytes());
          row.put("documents", m.documents());
          row.put("chunks", m.chunks());
          row.put("files", m.files().size());
          row.put("generation", m.generation());
        } catch (Manifest.CorruptException e) {
          row.put("error", e.getMessage());
        }
        snapshots.add(row);
      }
    }
    if (json) {
      context.out().println(Json.write(Map.of("snapshots", snapshots)));
    } else if (snapshots.isEmpty()) {
      context.out().println("no snapshots yet");
    } else {
      for (var row : snapshots) {
        context
            .out()
            .println(
                row.containsKey("error")
                    ? row.get("id") + "  CORRUPT: " + row.get("error")
                    : String.format(
                        java.util.Locale.ROOT,
                        "%s  %s  %,d documents  %,d chunks  %s%s",
                        row.get("id"),
                        row.get("time"),
                        (Long) row.get("documents"),
                        (Long) row.get("chunks"),
                        SnapshotCommand.mb((Long) row.get("bytes")),
                        Boolean.TRUE.equals(row.get("bad"))
                            ? "  BAD (failed verification; see snapshots/" + row.get("id") + ".bad)"
                            : ""));
      }
    }
    return 0;
  }
}
