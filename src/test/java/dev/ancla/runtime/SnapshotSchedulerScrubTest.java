package dev.ancla.runtime;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.Ancla;
import dev.ancla.sync.ProgressTracker;
import dev.ancla.testing.TestAncla;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serve's scheduled scrub finds a byte flipped in place and repairs it from the local index. */
class SnapshotSchedulerScrubTest {
  @TempDir Path dir;

  @Test
  void theScheduledScrubRepairsABlobDamagedInPlaceAndSaysWhen() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    dev.ancla.testing.RandomCorpus.write(docs, 2, 11);
    Path folder = Files.createDirectories(dir.resolve("backups"));
    var config =
        TestAncla.config(
            TestAncla.env(dir.resolve("data"), docs, "ANCLA_SNAPSHOT_URL", folder.toString()));
    try (Ancla ancla = Ancla.openForWriting(config, TestAncla.parts(config))) {
      ancla.sync().sync(new ProgressTracker(System::nanoTime));
      var metrics = new CountingMetrics();
      var scheduler =
          new SnapshotScheduler(
              ancla.snapshots().orElseThrow(),
              Duration.ofHours(1),
              metrics,
              Clock.systemUTC(),
              1L << 40, // the whole store in each pass
              Duration.ofMillis(300));
      try {
        scheduler.start();
        scheduler.submitNow();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (scheduler.last().isEmpty()) {
          assertTrue(System.nanoTime() < deadline, "no snapshot");
          Thread.sleep(20);
        }
        Path blob;
        try (Stream<Path> blobs = Files.list(folder.resolve("blobs"))) {
          blob = blobs.max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
        byte[] good = Files.readAllBytes(blob);
        byte[] flipped = good.clone();
        flipped[flipped.length / 3] ^= 0x20;
        var scrubbedBefore = scheduler.integrity().lastScrub();
        Files.write(blob, flipped);
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        // the status is updated once the pass that repaired it ends
        while (!java.util.Arrays.equals(good, Files.readAllBytes(blob))
            || scheduler.integrity().lastScrub().equals(scrubbedBefore)) {
          assertTrue(System.nanoTime() < deadline, "the scrub never repaired " + blob);
          Thread.sleep(50);
        }
        Thread.sleep(50);
        assertTrue(scheduler.integrity().lastScrub().isPresent());
        assertTrue(scheduler.integrity().scrubbedBytes() > 0);
        assertEquals(0, scheduler.integrity().badBlobs().size(), "repaired, so not reported");
        assertTrue(scheduler.restorable());
        assertEquals(1, metrics.published.get(), "the one snapshot asked for");
        assertEquals(0, metrics.failed.get());
      } finally {
        scheduler.close();
      }
    }
  }
}
