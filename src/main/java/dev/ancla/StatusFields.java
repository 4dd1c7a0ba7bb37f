package dev.ancla;

import dev.ancla.config.Config;
import dev.ancla.index.ChunkIndex;
import dev.ancla.index.CommitInfo;
import dev.ancla.index.RegistryEntry;
import dev.ancla.sync.ListingSkips;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of {@code status --json}, shared by the command and {@code GET /api/status} so that
 * both say the same thing. Insertion-ordered maps, ready for a JSON writer.
 */
public final class StatusFields {
  /** At most this many failed files are listed; the count is always exact. */
  public static final int MAX_FAILURES = 100;

  private StatusFields() {}

  /** The status of a data directory that has no index yet. */
  public static Map<String, Object> none(Config config) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("documents", 0);
    status.put("chunks", 0);
    status.put("failed", 0);
    status.put("skipped", 0);
    status.put("model", null);
    status.put("dimension", 0);
    status.put("indexBytes", 0);
    status.put("lastCommit", null);
    status.put("dataDir", config.dataDir().toString());
    status.put("failures", List.of());
    status.put("sources", sources(config, Map.of(), Instant.now()));
    return status;
  }

  /**
   * Each configured source: its kind and root, and from the last commit that synced it, when, the
   * age of its stored cursor (a change feed's), what its last sync listed, indexed, skipped and
   * failed, and its last error (a listing that failed; cleared by the next that works).
   */
  public static List<Map<String, Object>> sources(
      Config config, Map<String, String> commitData, Instant now) {
    var result = new java.util.ArrayList<Map<String, Object>>();
    for (Config.SourceSpec spec : config.sources()) {
      String prefix = "source." + spec.id() + ".";
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", spec.id());
      m.put(
          "kind",
          switch (spec) {
            case Config.SourceSpec.Folder _ -> "folder";
            case Config.SourceSpec.Drive _ -> "gdrive";
            case Config.SourceSpec.S3 _ -> "s3";
          });
      m.put("root", spec.describe());
      m.put("lastSync", commitData.get(prefix + "synced_at"));
      String cursorAt = commitData.get(prefix + "cursor_at");
      m.put("cursorAt", cursorAt);
      m.put("cursorAgeSeconds", cursorAt == null ? null : ageSeconds(cursorAt, now));
      for (String count : List.of("listed", "indexed", "skipped", "failed")) {
        m.put(count, number(commitData.get(prefix + count)));
      }
      // left out by the last complete listing (a shortcut loop, a dangling shortcut), with why
      m.put("listingSkipped", ListingSkips.count(commitData, spec.id()));
      m.put("listingSkips", ListingSkips.reasons(commitData, spec.id()));
      m.put("lastError", commitData.get(prefix + "error"));
      m.put("lastErrorAt", commitData.get(prefix + "error_at"));
      result.add(m);
    }
    return result;
  }

  private static Long ageSeconds(String iso, Instant now) {
    try {
      return Math.max(0, Duration.between(Instant.parse(iso), now).toSeconds());
    } catch (RuntimeException e) {
      return null; // written by a hand or a future version: shown as unknown
    }
  }

  private static Long number(String raw) {
    try {
      return raw == null ? null : Long.parseLong(raw);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public static Map<String, Object> of(Ancla ancla) throws IOException {
    ChunkIndex store = ancla.index();
    var counts = store.counts();
    Optional<CommitInfo> commit = store.lastCommit();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("documents", counts.documents());
    status.put("chunks", counts.chunks());
    status.put("failed", counts.failed());
    status.put("skipped", counts.skipped());
    status.put("model", commit.map(CommitInfo::modelName).filter(s -> !s.isEmpty()).orElse(null));
    status.put("modelFingerprint", commit.map(CommitInfo::modelFingerprint).orElse(null));
    status.put("dimension", commit.map(CommitInfo::dimension).orElse(0));
    status.put("indexBytes", store.sizeOnDisk());
    status.put(
        "lastCommit",
        commit
            .<Object>map(
                c -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("generation", c.generation());
                  m.put("time", c.committedAt().map(Object::toString).orElse(null));
                  m.put("state", c.state());
                  return m;
                })
            .orElse(null));
    status.put("dataDir", ancla.config().dataDir().toString());
    List<Map<String, String>> failures =
        store.registryEntries(RegistryEntry.Status.FAILED, MAX_FAILURES).stream()
            .map(e -> Map.of("source", e.source(), "path", e.path(), "error", e.error().orElse("")))
            .toList();
    status.put("failures", failures);
    status.put(
        "sources",
        sources(ancla.config(), commit.map(CommitInfo::raw).orElse(Map.of()), Instant.now()));
    return status;
  }
}
