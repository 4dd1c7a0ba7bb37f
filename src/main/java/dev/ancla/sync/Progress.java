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
 * @param bytesTotal size of the files to index; 0 when the job does not count bytes (a reindex)
 * @param bytesDone of those, the share done: a file's bytes count chunk by chunk as its chunks are
 *     embedded, so a large file moves the estimate while it embeds
 */
public record Progress(
    Phase phase,
    int documentsTotal,
    int documentsDone,
    int failed,
    int skipped,
    long chunksEmbedded,
    long chunksReused,
    Duration elapsed,
    long bytesTotal,
    long bytesDone) {

  /** Without bytes: the estimate follows documents. */
  public Progress(
      Phase phase,
      int documentsTotal,
      int documentsDone,
      int failed,
      int skipped,
      long chunksEmbedded,
      long chunksReused,
      Duration elapsed) {
    this(
        phase,
        documentsTotal,
        documentsDone,
        failed,
        skipped,
        chunksEmbedded,
        chunksReused,
        elapsed,
        0,
        0);
  }

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

  /**
   * Time left at the rate so far; empty until there is a rate. Measured in bytes when they are
   * counted: documents differ in size by orders of magnitude, so a count of them says little about
   * the work left (99 small files done in a minute said "1m" while one large file took ten more).
   */
  public Optional<Duration> eta() {
    if (bytesTotal > 0) {
      double seconds = elapsed.toNanos() / 1e9;
      long done = Math.min(bytesDone, bytesTotal);
      if (done <= 0 || seconds <= 0) {
        return Optional.empty();
      }
      return Optional.of(Duration.ofMillis((long) ((bytesTotal - done) * seconds / done * 1000)));
    }
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
