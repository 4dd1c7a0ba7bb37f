package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** One writer per prefix (decision 6), on S3 through S3Proxy and on a folder. */
class WriterLeaseTest {
  @RegisterExtension final S3ProxyExtension proxy = S3Fixture.newProxy();
  @TempDir Path dir;

  private static final Duration TTL = Duration.ofSeconds(30);

  @Test
  void writersTakingOverAtTheSameMomentLeaveExactlyOneHolderOnS3AndOnAFolder() throws Exception {
    var s3 = new S3Fixture(proxy, "ancla-lease").createBucket();
    try (BlobStore bucket = s3.open("race")) {
      assertExactlyOneWins(bucket);
    }
    try (BlobStore folder = new FolderBlobStore(Files.createDirectories(dir.resolve("folder")))) {
      assertExactlyOneWins(folder);
    }
  }

  private static void assertExactlyOneWins(BlobStore store) throws Exception {
    for (int round = 0; round < 3; round++) {
      int writers = 4;
      var barrier = new CyclicBarrier(writers);
      var leases = new ArrayList<WriterLease>();
      var tasks = new ArrayList<Callable<WriterLease.State>>();
      for (int i = 0; i < writers; i++) {
        var lease = new WriterLease(store, "writer-" + round + "-" + i, TTL, Clock.systemUTC());
        leases.add(lease);
        tasks.add(
            () -> {
              barrier.await();
              return lease.takeOver();
            });
      }
      List<WriterLease.State> states = new ArrayList<>();
      try (var pool = Executors.newFixedThreadPool(writers)) {
        for (Future<WriterLease.State> f : pool.invokeAll(tasks)) {
          states.add(f.get());
        }
      }
      // some may have taken it in turn (each newer than the last); the last one holds it
      var record = WriterLease.peek(store).orElseThrow();
      int holders = 0;
      for (WriterLease lease : leases) {
        try {
          lease.checkBeforePublish();
          holders++;
          assertEquals(record.holder(), lease.holder());
        } catch (WriterLease.LostException e) {
          assertTrue(e.getMessage().contains("the snapshot lease was taken by"), e.getMessage());
        } finally {
          lease.close();
        }
      }
      assertEquals(1, holders, store.describe() + " round " + round + ": " + states);
    }
  }

  @Test
  void acquireRefusesALiveLeaseHeldElsewhereAndTakesAnExpiredOne() throws Exception {
    var s3 = new S3Fixture(proxy, "ancla-lease").createBucket();
    try (BlobStore store = s3.open("polite");
        var server = new WriterLease(store, "server", Duration.ofSeconds(5), Clock.systemUTC());
        var shell = new WriterLease(store, "shell", TTL, Clock.systemUTC());
        var later =
            new WriterLease(
                store, "later", TTL, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(6)))) {
      assertInstanceOf(WriterLease.State.Held.class, server.takeOver());
      var refused = assertThrows(WriterLease.HeldException.class, shell::acquire);
      assertTrue(refused.getMessage().contains("held by server"), refused.getMessage());
      assertTrue(refused.getMessage().contains("--take-over"), refused.getMessage());
      server.close(); // stops renewing: the lease runs out

      var taken = assertInstanceOf(WriterLease.State.Held.class, later.acquire());
      assertEquals(2, taken.epoch());
      assertInstanceOf(WriterLease.State.Lost.class, server.renew());
    }
  }

  @Test
  void theOlderOfTwoInstancesOnOnePrefixStopsPublishingAndTheNewerPublishes() throws Exception {
    Map<String, String> env = new S3Fixture(proxy, "ancla-lease").createBucket().env("shared");
    Path docs = Corpus.write(dir.resolve("docs"));
    Config oldConfig = Corpus.config(dir.resolve("old"), docs, env);
    Config newConfig = Corpus.config(dir.resolve("new"), docs, env);
    try (var old = Corpus.open(oldConfig)) {
      Corpus.sync(old);
      var oldMirror = old.snapshots().orElseThrow();
      oldMirror.lease().takeOver();
      String published = oldMirror.snapshot().manifest().id();

      try (var fresh = Corpus.open(newConfig)) { // restores what the old one published
        assertInstanceOf(dev.ancla.BootOutcome.Restored.class, fresh.boot());
        var newMirror = fresh.snapshots().orElseThrow();
        var taken = assertInstanceOf(WriterLease.State.Held.class, newMirror.lease().takeOver());
        assertEquals(2, taken.epoch());

        Corpus.add(docs, "sidra.txt", "La sidra asturiana se escancia desde lo alto.");
        Corpus.sync(old);
        var refused = assertThrows(WriterLease.LostException.class, oldMirror::snapshot);
        assertTrue(refused.getMessage().contains(newMirror.lease().holder()), refused.getMessage());
        var lost = assertInstanceOf(WriterLease.State.Lost.class, oldMirror.lease().state());
        assertEquals(2, lost.theirEpoch());
        try (BlobStore store = BlobStores.open(oldConfig.snapshots().orElseThrow().target())) {
          assertEquals(
              List.of(published), Manifest.ids(store), "the old instance published nothing more");
          String next = newMirror.snapshot().manifest().id();
          assertEquals(List.of(next, published), Manifest.ids(store));
        }
      }
    }
  }
}
