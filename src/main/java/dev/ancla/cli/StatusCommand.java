package dev.ancla.cli;

import dev.ancla.Ancla;
import dev.ancla.StatusFields;
import dev.ancla.index.IndexStore;
import dev.ancla.index.Reads;
import dev.ancla.snapshot.Manifest;
import dev.ancla.snapshot.WriterLease;
import dev.ancla.sync.ListingSkips;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code ancla status [--json]}. */
final class StatusCommand implements OneShotCommand {
  private static final CommandShape SHAPE =
      new CommandShape(
          List.of("status"),
          List.of("Show what the index holds: counts, model, size, last commit, failed files."),
          Optional.empty(),
          List.of(CliOption.flag("--json", "Print the status as one JSON object.")));

  @Override
  public CommandShape shape() {
    return SHAPE;
  }

  @Override
  public int run(CliContext context, ParsedArgs args) throws Exception {
    var config = context.config();
    Map<String, Object> status;
    if (config.solr().isEmpty() && !IndexStore.exists(config.indexDir())) {
      status = StatusFields.none(config);
    } else {
      try (Ancla ancla =
          Ancla.openReadOnly(config, context.parts().apply(config), Reads.ONE_SHOT)) {
        status = StatusFields.of(ancla);
      }
    }
    if (config.snapshots().isPresent()) {
      status = new java.util.LinkedHashMap<>(status);
      snapshotFields(config, status);
    }
    if (args.flag("--json")) {
      context.out().println(Json.write(status));
    } else {
      print(context, status);
    }
    return 0;
  }

  /**
   * The newest snapshot that verifies and the lease, as the store has them: one LIST, the newest
   * manifests not marked bad until one passes a stat of each of its blobs, and the lease. Status
   * only looks: it marks nothing. A store that cannot be reached is reported, not fatal: status is
   * for looking, not for booting.
   */
  private static void snapshotFields(dev.ancla.config.Config config, Map<String, Object> status) {
    try (var store = SnapshotCommand.open(config)) {
      Manifest.Listing listing = Manifest.listing(store);
      var check = new dev.ancla.snapshot.StatCheck(store, SnapshotCommand.spec(config).threads());
      var failed = new java.util.LinkedHashMap<String, List<String>>();
      Manifest verified = check.newestVerified(listing, failed).orElse(null);
      var bad =
          new java.util.ArrayList<>(
              listing.ids().stream().filter(listing.bad()::contains).toList());
      bad.addAll(failed.keySet());
      Map<String, Object> last = null;
      if (verified != null) {
        Manifest m = verified;
        last = new java.util.LinkedHashMap<>();
        last.put("id", m.id());
        last.put("time", m.time());
        last.put("bytes", m.bytes());
        last.put(
            "ageSeconds",
            Math.max(
                0,
                java.time.Duration.between(
                        java.time.Instant.parse(m.time()), java.time.Instant.now())
                    .toSeconds()));
        last.put("verified", true);
      }
      status.put("lastSnapshot", last);
      var integrity = new java.util.LinkedHashMap<String, Object>();
      integrity.put("restorable", verified != null);
      integrity.put("snapshots", listing.ids().size());
      integrity.put("badSnapshots", bad);
      status.put("snapshotIntegrity", integrity);
      status.put(
          "lease",
          WriterLease.peek(store)
              .<Object>map(
                  r -> Map.of("epoch", r.epoch(), "holder", r.holder(), "expiresAt", r.expiresAt()))
              .orElse(null));
    } catch (java.io.IOException | RuntimeException e) {
      status.put("lastSnapshot", Map.of("error", String.valueOf(e.getMessage())));
    }
  }

  @SuppressWarnings("unchecked")
  /** "source docs (folder /srv/docs): last sync ..., 12 listed, 12 indexed, ...; error: ...". */
  private static String sourceLine(Map<String, Object> source) {
    var line = new StringBuilder();
    line.append("source ")
        .append(source.get("id"))
        .append(" (")
        .append(source.get("kind"))
        .append(' ')
        .append(source.get("root"))
        .append("): ");
    Object last = source.get("lastSync");
    line.append(last == null ? "never synced" : "last sync " + last);
    if (source.get("listed") != null) {
      line.append(
          String.format(
              Locale.ROOT,
              ", %s listed, %s indexed, %s skipped, %s failed",
              source.get("listed"),
              source.get("indexed"),
              source.get("skipped"),
              source.get("failed")));
    }
    if (source.get("cursorAgeSeconds") != null) {
      line.append(", cursor ").append(source.get("cursorAgeSeconds")).append(" s old");
    }
    if (source.get("listingSkipped") instanceof Number n && n.intValue() > 0) {
      line.append("; ").append(n).append(" left out of the listing: ");
      var reasons = (java.util.List<Object>) source.get("listingSkips");
      line.append(String.join("; ", reasons.stream().limit(3).map(String::valueOf).toList()));
      if (n.intValue() > 3) {
        line.append("; ... (status --json lists up to ").append(ListingSkips.MAX).append(')');
      }
    }
    if (source.get("lastError") != null) {
      line.append("; last error: ").append(source.get("lastError"));
    }
    return line.toString();
  }

  private static void print(CliContext context, Map<String, Object> s) {
    var out = context.out();
    out.printf(
        Locale.ROOT,
        "documents: %,d   chunks: %,d   failed: %,d   skipped (not documents): %,d%n",
        ((Number) s.get("documents")).longValue(),
        ((Number) s.get("chunks")).longValue(),
        ((Number) s.get("failed")).longValue(),
        ((Number) s.get("skipped")).longValue());
    out.printf(
        Locale.ROOT,
        "model: %s (%s dimensions)   index: %.1f MB in %s%n",
        s.get("model") == null ? "none yet" : s.get("model"),
        s.get("dimension"),
        ((Number) s.get("indexBytes")).longValue() / 1e6,
        s.get("dataDir"));
    var commit = (Map<String, Object>) s.get("lastCommit");
    out.println(
        commit == null
            ? "last commit: none (run `ancla init`)"
            : "last commit: generation "
                + commit.get("generation")
                + " at "
                + commit.get("time")
                + " ("
                + commit.get("state")
                + ")");
    for (var source : (List<Map<String, Object>>) s.getOrDefault("sources", List.of())) {
      out.println(sourceLine(source));
    }
    if (s.containsKey("lastSnapshot")) {
      var last = (Map<String, Object>) s.get("lastSnapshot");
      var integrity = (Map<String, Object>) s.get("snapshotIntegrity");
      boolean none = integrity == null || ((Number) integrity.get("snapshots")).intValue() == 0;
      out.println(
          last == null
              ? (none
                  ? "last snapshot: none yet"
                  : "last snapshot: NONE RESTORABLE: no snapshot in the store verifies; the next"
                      + " snapshot re-uploads from the local index")
              : last.containsKey("error")
                  ? "last snapshot: unknown (" + last.get("error") + ")"
                  : String.format(
                      Locale.ROOT,
                      "last verified snapshot: %s at %s, %.1f MB, %d s ago",
                      last.get("id"),
                      last.get("time"),
                      ((Number) last.get("bytes")).longValue() / 1e6,
                      ((Number) last.get("ageSeconds")).longValue()));
      if (integrity != null && !((List<?>) integrity.get("badSnapshots")).isEmpty()) {
        out.println(
            "snapshots that do not verify (kept as evidence, not restored first): "
                + String.join(", ", (List<String>) integrity.get("badSnapshots")));
      }
      var lease = (Map<String, Object>) s.get("lease");
      if (lease != null) {
        out.println(
            "snapshot lease: epoch "
                + lease.get("epoch")
                + ", "
                + lease.get("holder")
                + ", until "
                + lease.get("expiresAt"));
      }
    }
    var failures = (List<Map<String, String>>) s.get("failures");
    if (!failures.isEmpty()) {
      out.println("failed files:");
      failures.forEach(f -> out.println("  " + f.get("path") + ": " + f.get("error")));
    }
  }
}
