package dev.ancla.index;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The commit user data, typed. Written with every commit, so the newest commit always says what the
 * index holds and whether its last indexing finished.
 *
 * @param state {@code complete} after a finished sync, {@code building} at checkpoints in between
 */
public record CommitInfo(
    long generation,
    int schemaVersion,
    String modelName,
    String modelFingerprint,
    int dimension,
    String state,
    long documents,
    long chunks,
    long failed,
    long skipped,
    Optional<Instant> committedAt,
    Map<String, String> raw) {

  public static final String STATE_BUILDING = "building";
  public static final String STATE_COMPLETE = "complete";

  public boolean complete() {
    return STATE_COMPLETE.equals(state);
  }

  public static CommitInfo from(long generation, Map<String, String> data) {
    return new CommitInfo(
        generation,
        parseInt(data.get("schema"), 0),
        data.getOrDefault("model.name", ""),
        data.getOrDefault("model.fingerprint", ""),
        parseInt(data.get("model.dimension"), 0),
        data.getOrDefault("state", STATE_BUILDING),
        parseLong(data.get("documents")),
        parseLong(data.get("chunks")),
        parseLong(data.get("failed")),
        parseLong(data.get("skipped")),
        Optional.ofNullable(data.get("committed_at")).map(Instant::parse),
        Map.copyOf(data));
  }

  private static int parseInt(String value, int fallback) {
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static long parseLong(String value) {
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
