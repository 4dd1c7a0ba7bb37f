package dev.ancla.sync;

import java.time.Duration;
import java.util.Optional;

/**
 * A moment of a running sync, for progress bars, status and logs.
 *
 * @param phase what the sync is doing now
 * @param documentsTotal files to parse and embed in this sync
 * @param documentsDone of those, finished (written or failed)
 * @param failed of those, failed
 * @param skipped of those, not documents (images, archives)
 * @param chunksEmbedded chunks that needed the model
 * @param chunksReused chunks whose vector was already in the index
 * @param elapsed since the sync started
 */
public record Progress(
    Phase phase,
    int documentsTotal,
    int documentsDone,
    int failed,
    int skipped,
    long chunksEmbedded,
    long chunksReused,
    Duration elapsed) {

  public enum Phase {
    PLANNING,
    INDEXING,
    COMMITTING,
    DONE
  }

  /** Finished documents per second so far. */
  public double documentsPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : documentsDone / seconds;
  }

  /** Embedded chunks per second so far. */
  public double chunksPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : chunksEmbedded / seconds;
  }

  /** Time left at the rate so far; empty until there is a rate. */
  public Optional<Duration> eta() {
    double rate = documentsPerSecond();
    if (rate <= 0 || documentsDone == 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis((long) ((documentsTotal - documentsDone) / rate * 1000)));
  }

  public double fraction() {
    return documentsTotal == 0 ? 1 : (double) documentsDone / documentsTotal;
  }
}
