package dev.ancla.runtime;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.snapshot.BlobStore;
import dev.ancla.snapshot.BlobStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests through a real folder store: in order, kept while the writer is busy, then deleted. */
class WriterRequestsTest {
  @TempDir Path dir;

  @Test
  void requestsAreTakenInTheOrderSentAndWaitWhileTheWriterIsBusy() throws Exception {
    try (BlobStore store = BlobStores.open(folder())) {
      var first = WriterRequests.send(store, "sync", false, "follower-a", Clock.systemUTC());
      Thread.sleep(5); // ids sort by their time in milliseconds
      var second = WriterRequests.send(store, "reindex", true, "follower-b", Clock.systemUTC());
      var taken = new CopyOnWriteArrayList<WriterRequests.Request>();
      var busy = new AtomicBoolean(true);
      try (var inbox =
          new WriterRequests(
              store,
              r -> {
                if (busy.get()) {
                  return false;
                }
                taken.add(r);
                return true;
              },
              () -> new WriterRequests.WriterState("writer-1", Map.of("id", "sync-7"), null),
              Clock.systemUTC())) {
        inbox.start(Duration.ofMillis(50));
        Thread.sleep(400);
        assertEquals(List.of(), taken, "nothing taken while busy");
        assertEquals(2, store.list("requests/").size(), "both kept for later");
        var state = WriterRequests.writerState(store).orElseThrow();
        assertEquals("writer-1", state.holder());
        assertEquals("sync-7", state.job().get("id"));

        busy.set(false);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (taken.size() < 2 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      }
      assertEquals(List.of(first.id(), second.id()), taken.stream().map(r -> r.id()).toList());
      assertTrue(taken.get(1).force());
      assertEquals("follower-b", taken.get(1).from());
      assertEquals(0, store.list("requests/").size(), "taken requests are deleted");
    }
  }

  @Test
  void anUnknownKindIsRefusedBeforeItIsSent() throws Exception {
    try (BlobStore store = BlobStores.open(folder())) {
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () -> WriterRequests.send(store, "drop-index", false, "x", Clock.systemUTC()));
      assertTrue(e.getMessage().contains("drop-index"), e.getMessage());
      assertEquals(0, store.list("requests/").size());
    }
  }

  private dev.ancla.config.Config.SnapshotTarget folder() throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir.resolve("bucket"));
    return new dev.ancla.config.Config.SnapshotTarget.Folder(dir.resolve("bucket"));
  }
}
