package dev.ancla;

import dev.ancla.config.Config;
import dev.ancla.index.CommitInfo;
import dev.ancla.index.IndexStore;
import dev.ancla.index.RegistryEntry;
import java.io.IOException;
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
    return status;
  }

  public static Map<String, Object> of(Ancla ancla) throws IOException {
    IndexStore store = ancla.store();
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
    return status;
  }
}
