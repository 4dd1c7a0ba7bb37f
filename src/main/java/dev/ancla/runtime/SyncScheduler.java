package dev.ancla.runtime;

import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.index.CommitInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs every {@code ANCLA_SYNC_INTERVAL}, so files added to a folder are indexed without anyone
 * clicking Sync. (At boot the server syncs by itself only when the index is missing or unfinished,
 * or {@link #sourcesChanged}; files added while it was down wait for the first tick.) Contract: a
 * tick while another job (a sync someone asked for, a reindex) runs is skipped, not queued; ticks
 * are {@code interval} apart, counted from the end of the previous tick's submit; after {@link
 * #close} none starts.
 */
public final class SyncScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyncScheduler.class);

  private final JobRunner jobs;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ancla-sync-schedule").daemon(true).factory());

  public SyncScheduler(JobRunner jobs, Duration interval) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("interval is " + interval + "; expected a positive one");
    }
    this.jobs = jobs;
    long millis = interval.toMillis();
    executor.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      var job = jobs.submitSync();
      log.debug("scheduled sync {} started", job.id());
    } catch (JobRunner.Busy busy) {
      log.debug("scheduled sync skipped: {} is running", busy.running().id());
    } catch (JobRunner.Stopped stopped) {
      executor.shutdown();
    } catch (RuntimeException e) { // a failing tick must not end the schedule
      log.warn("scheduled sync could not start: {}", e.toString());
    }
  }

  /**
   * Whether the index was last synced with other sources than the configured ones: a configured
   * source that no complete sync has covered, or files of a source no longer configured.
   */
  public static boolean sourcesChanged(Ancla ancla) throws IOException {
    Set<String> configured =
        ancla.config().sources().stream().map(Config.SourceSpec::id).collect(Collectors.toSet());
    Map<String, String> data = ancla.index().lastCommit().map(CommitInfo::raw).orElse(Map.of());
    for (String id : configured) {
      if (!data.containsKey("source." + id + ".synced_at")) return true;
    }
    return !ancla.index().registryEntries(e -> !configured.contains(e.source())).isEmpty();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
