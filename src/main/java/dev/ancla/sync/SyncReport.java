package dev.ancla.sync;

import java.time.Duration;

/**
 * What one sync did.
 *
 * @param complete false when it was cancelled before every file was indexed
 * @param sources what it did with each source, in configuration order
 */
public record SyncReport(
    int added,
    int changed,
    int deleted,
    int unchanged,
    int failed,
    int skipped,
    long chunksEmbedded,
    long chunksReused,
    Duration elapsed,
    boolean complete,
    long generation,
    java.util.List<SourceReport> sources) {

  public SyncReport {
    sources = java.util.List.copyOf(sources);
  }

  /** Sources whose listing failed this time (their documents were kept). */
  public java.util.List<SourceReport> failedSources() {
    return sources.stream().filter(s -> s.error().isPresent()).toList();
  }

  public double seconds() {
    return elapsed.toNanos() / 1e9;
  }

  /** The fields of {@code sync --json} and of a sync job's report in the HTTP API. */
  public java.util.Map<String, Object> fields() {
    var m = new java.util.LinkedHashMap<String, Object>();
    m.put("added", added);
    m.put("changed", changed);
    m.put("deleted", deleted);
    m.put("unchanged", unchanged);
    m.put("failed", failed);
    m.put("skipped", skipped);
    m.put("chunksEmbedded", chunksEmbedded);
    m.put("chunksReused", chunksReused);
    m.put("seconds", Math.round(seconds() * 1000) / 1000.0);
    m.put("complete", complete);
    m.put("generation", generation);
    m.put("sources", sources.stream().map(SourceReport::fields).toList());
    return m;
  }
}
