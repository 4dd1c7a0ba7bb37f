package dev.ancla.server;

import static dev.ancla.server.TestServer.ADMIN;
import static dev.ancla.server.TestServer.API;
import static dev.ancla.server.TestServer.bearer;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.index.DataDirLock;
import dev.ancla.snapshot.BlobStore;
import dev.ancla.snapshot.Manifest;
import dev.ancla.snapshot.S3Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The server's snapshots: after commits, on demand, the lease in a rolling deploy, fail closed. */
class ServerSnapshotTest {
  @RegisterExtension final S3ProxyExtension proxy = S3Fixture.newProxy();
  @TempDir Path dir;

  private String[] env(Map<String, String> s3, String... more) {
    var pairs = new ArrayList<String>(List.of("ANCLA_ADMIN_TOKEN", ADMIN, "ANCLA_API_TOKEN", API));
    s3.forEach((k, v) -> pairs.addAll(List.of(k, v)));
    pairs.addAll(List.of(more));
    return pairs.toArray(String[]::new);
  }

  private static JsonNode awaitSnapshot(TestServer s, String notId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode last = s.get("/api/status", bearer(ADMIN)).json().path("lastSnapshot");
      if (!last.isNull() && !last.path("id").asText().equals(notId)) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "no new snapshot within 60 s: " + s.get("/api/status", bearer(ADMIN)).body());
  }

  @Test
  void aSyncIsSnapshottedAfterTheDebounceAndANewerInstanceFollowsUntilTheOldOneStops()
      throws Exception {
    var fixture = new S3Fixture(proxy, "ancla-server").createBucket();
    Map<String, String> s3 = fixture.env("prod");
    Path docs = Files.createDirectories(dir.resolve("docs"));
    TestServer.corpus(docs, 8, 7);
    try (var old =
            TestServer.open(
                dir.resolve("old"), docs, env(s3, "ANCLA_SNAPSHOT_DEBOUNCE_SECONDS", "0"));
        BlobStore store = fixture.open("prod")) {
      old.awaitIdle(Duration.ofMinutes(2));
      JsonNode first = awaitSnapshot(old, "");
      assertTrue(first.path("bytes").asLong() > 0, first.toString());
      assertTrue(first.path("ageSeconds").asLong() >= 0, first.toString());
      JsonNode lease = old.get("/api/status", bearer(ADMIN)).json().path("lease");
      assertTrue(lease.path("held").asBoolean(), lease.toString());
      assertEquals(1, lease.path("epoch").asInt());

      assertEquals(401, old.get("/api/snapshots").status());
      assertEquals(
          401,
          old.get("/api/snapshots", bearer(API)).status(),
          "the search token is not the admin token");
      assertEquals(401, old.post("/api/snapshots").status());
      JsonNode list = old.get("/api/snapshots", bearer(ADMIN)).json();
      assertEquals(first.path("id").asText(), list.path("snapshots").get(0).path("id").asText());
      assertTrue(list.path("lease").path("held").asBoolean());

      var now = old.post("/api/snapshots", bearer(ADMIN));
      assertEquals(202, now.status(), now.body());
      assertEquals("snapshot", now.json().path("job").path("kind").asText());
      JsonNode second = awaitSnapshot(old, first.path("id").asText());
      assertEquals(2, Manifest.ids(store).size());
      assertEquals(second.path("id").asText(), Manifest.ids(store).getFirst());

      String metrics = old.get("/metrics").body();
      for (String name :
          List.of(
              "ancla_snapshot_age_seconds",
              "ancla_snapshot_uploaded_bytes_total",
              "ancla_snapshot_duration_seconds_count",
              "ancla_snapshot_failures_total",
              "ancla_snapshot_last_verified_age_seconds",
              "ancla_snapshot_bad_blobs")) {
        assertTrue(metrics.contains(name), name + " in /metrics");
      }
      assertTrue(metrics.contains("ancla_snapshot_restorable 1.0"), metrics);
      JsonNode integrity = old.get("/api/status", bearer(ADMIN)).json().path("snapshotIntegrity");
      assertTrue(integrity.path("restorable").asBoolean(), integrity.toString());
      assertEquals(0, integrity.path("badSnapshots").size(), integrity.toString());

      // rolling deploy (decision 16): the new instance restores and follows while the old one
      // holds the lease; when the old one stops, it releases the lease and the new one takes it
      try (var fresh =
          TestServer.open(
              dir.resolve("new"),
              docs,
              env(s3, "ANCLA_SNAPSHOT_DEBOUNCE_SECONDS", "3600", "ANCLA_FOLLOW_SECONDS", "1"))) {
        JsonNode freshStatus = fresh.get("/api/status", bearer(ADMIN)).json();
        assertTrue(
            freshStatus.path("boot").asText().contains("restored snapshot"),
            freshStatus.toString());
        assertEquals("follower", freshStatus.path("role").asText(), freshStatus.toString());
        assertEquals(
            second.path("id").asText(),
            freshStatus.path("follow").path("served").path("id").asText());
        assertEquals(
            lease.path("holder").asText(),
            freshStatus.path("follow").path("writer").path("holder").asText());
        assertTrue(
            old.get("/api/status", bearer(ADMIN)).json().path("lease").path("held").asBoolean(),
            "a new instance no longer pushes the writer aside");

        old.close(); // SIGTERM's path: the final snapshot (nothing new), then the lease is released
        JsonNode became = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
          became = fresh.get("/api/status", bearer(ADMIN)).json();
          if (became.path("role").asText().equals("writer")
              && became.path("lease").path("held").asBoolean()) {
            break;
          }
          Thread.sleep(50);
        }
        assertEquals("writer", became.path("role").asText(), became.toString());
        assertEquals(2, became.path("lease").path("epoch").asInt(), became.toString());

        assertEquals(202, fresh.post("/api/snapshots", bearer(ADMIN)).status());
        awaitSnapshot(fresh, second.path("id").asText());
        assertEquals(3, Manifest.ids(store).size());
      }
    }
  }

  /**
   * A writer killed without releasing its lease (SIGKILL, a crash) and started again on the same
   * data directory: the live lease names this directory's instance id, so the restart is the writer
   * again at once, with the same epoch, instead of following its own ghost for up to
   * ANCLA_SNAPSHOT_LEASE_SECONDS. A different directory (a new container) still follows.
   */
  @Test
  void aRestartOnTheSameDataDirectoryTakesItsOwnLeaseBackAtOnce() throws Exception {
    var fixture = new S3Fixture(proxy, "ancla-server").createBucket();
    Map<String, String> s3 = fixture.env("prod");
    Path docs = Files.createDirectories(dir.resolve("docs"));
    TestServer.corpus(docs, 3, 5);
    Path data = dir.resolve("data");
    try (var s = TestServer.open(data, docs, env(s3, "ANCLA_SNAPSHOT_DEBOUNCE_SECONDS", "0"))) {
      s.awaitIdle(Duration.ofMinutes(2));
      awaitSnapshot(s, "");
    }
    try (BlobStore store = fixture.open("prod")) {
      // what a SIGKILL leaves: the lease live (closing above released it), held by this directory
      var ghost =
          new dev.ancla.snapshot.WriterLease(
              store,
              dev.ancla.snapshot.WriterLease.holderIdOf(data),
              Duration.ofMinutes(10),
              java.time.Clock.systemUTC());
      ghost.acquire();
      ghost.close(); // stops renewing, releases nothing
      long epoch = dev.ancla.snapshot.WriterLease.peek(store).orElseThrow().epoch();

      try (var other =
          TestServer.open(dir.resolve("other"), docs, env(s3, "ANCLA_FOLLOW_SECONDS", "1"))) {
        assertEquals(
            "follower",
            other.get("/api/status", bearer(ADMIN)).json().path("role").asText(),
            "a new directory follows the live lease");
      }
      try (var again = TestServer.open(data, docs, env(s3))) {
        JsonNode status = again.get("/api/status", bearer(ADMIN)).json();
        assertEquals("writer", status.path("role").asText(), status.toString());
        assertTrue(status.path("lease").path("held").asBoolean(), status.toString());
        assertEquals(epoch, status.path("lease").path("epoch").asLong(), status.toString());
      }
    }
  }

  /**
   * A rolling deploy over a byte flipped in place: the new instance's restore finds it (no stat
   * can), reports it, and waits; the running server repairs it from its local index by itself
   * within its report check, and the restore then gets the newest snapshot whole.
   */
  @Test
  void aFlippedByteARestoreReportsIsRepairedByTheRunningServer() throws Exception {
    var fixture = new S3Fixture(proxy, "ancla-server").createBucket();
    Map<String, String> s3 = fixture.env("prod");
    Path docs = Files.createDirectories(dir.resolve("docs"));
    TestServer.corpus(docs, 3, 5);
    try (var s =
            TestServer.open(
                dir.resolve("data"), docs, env(s3, "ANCLA_SNAPSHOT_DEBOUNCE_SECONDS", "0"));
        BlobStore store = fixture.open("prod")) {
      s.awaitIdle(Duration.ofMinutes(2));
      String first = awaitSnapshot(s, "").path("id").asText();
      var victim =
          Manifest.load(store, first).files().stream()
              .max(java.util.Comparator.comparingLong(Manifest.FileEntry::size))
              .orElseThrow();
      byte[] good;
      try (var in = store.open(victim.blobKey())) {
        good = in.readAllBytes();
      }
      byte[] flipped = good.clone();
      flipped[flipped.length / 2] ^= 0x08;
      store.put(victim.blobKey(), Files.write(dir.resolve("flipped"), flipped));

      Path elsewhere = dir.resolve("new/index");
      var restored =
          new dev.ancla.snapshot.Restorer(store, 2, Duration.ofSeconds(60))
              .restoreNewest(elsewhere)
              .orElseThrow();
      assertEquals(first, restored.manifest().id());
      assertEquals(java.util.Optional.empty(), restored.salvaged(), "restored whole");
      try (var in = store.open(victim.blobKey())) {
        assertArrayEquals(good, in.readAllBytes(), "the server uploaded the blob again");
      }
      assertEquals(List.of(), store.list("damaged/"), "the report was withdrawn");
      assertTrue(
          s.get("/api/status", bearer(ADMIN))
              .json()
              .path("snapshotIntegrity")
              .path("restorable")
              .asBoolean());
    }
  }

  @Test
  void aStoreWhoseOnlySnapshotLostHalfABlobIsReportedUnrestorableUntilTheNextSnapshotRepairsIt()
      throws Exception {
    var fixture = new S3Fixture(proxy, "ancla-server").createBucket();
    Map<String, String> s3 = fixture.env("prod");
    Path docs = Files.createDirectories(dir.resolve("docs"));
    TestServer.corpus(docs, 3, 5);
    Path data = dir.resolve("data");
    String first;
    try (var s = TestServer.open(data, docs, env(s3, "ANCLA_SNAPSHOT_DEBOUNCE_SECONDS", "0"))) {
      s.awaitIdle(Duration.ofMinutes(2));
      first = awaitSnapshot(s, "").path("id").asText();
    }
    try (BlobStore store = fixture.open("prod")) {
      var victim =
          Manifest.load(store, first).files().stream()
              .max(java.util.Comparator.comparingLong(Manifest.FileEntry::size))
              .orElseThrow();
      byte[] bytes;
      try (var in = store.open(victim.blobKey())) {
        bytes = in.readAllBytes();
      }
      store.put(
          victim.blobKey(),
          Files.write(dir.resolve("half"), java.util.Arrays.copyOf(bytes, bytes.length / 2)));

      // the local index is there, so this boot opens it; the store's only snapshot is broken
      try (var s =
          TestServer.open(data, docs, env(s3, "ANCLA_SNAPSHOT_DEBOUNCE_SECONDS", "3600"))) {
        JsonNode status = s.get("/api/status", bearer(ADMIN)).json();
        assertTrue(status.path("lastSnapshot").isNull(), status.toString());
        JsonNode integrity = status.path("snapshotIntegrity");
        assertFalse(integrity.path("restorable").asBoolean(), integrity.toString());
        assertEquals(first, integrity.path("badSnapshots").get(0).asText(), integrity.toString());
        assertTrue(s.get("/metrics").body().contains("ancla_snapshot_restorable 0.0"));
        assertTrue(Manifest.listing(store).bad().contains(first), "marked bad in the store");
        JsonNode list = s.get("/api/snapshots", bearer(ADMIN)).json();
        assertTrue(list.path("snapshots").get(0).path("bad").asBoolean(), list.toString());

        assertEquals(202, s.post("/api/snapshots", bearer(ADMIN)).status());
        JsonNode repaired = awaitSnapshot(s, "");
        assertTrue(repaired.path("verified").asBoolean(), repaired.toString());
        assertNotEquals(first, repaired.path("id").asText());
        assertTrue(
            s.get("/api/status", bearer(ADMIN))
                .json()
                .path("snapshotIntegrity")
                .path("restorable")
                .asBoolean());
        assertTrue(s.get("/metrics").body().contains("ancla_snapshot_restorable 1.0"));
        try (var in = store.open(victim.blobKey())) {
          assertArrayEquals(bytes, in.readAllBytes(), "the halved blob was uploaded again");
        }
      }
    }
  }

  @Test
  void anUnreachableStoreAtBootFailsTheOpenAndPublishesNothing() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    TestServer.corpus(docs, 2, 3);
    Path data = dir.resolve("data");
    try (var s = TestServer.open(data, docs)) { // a local index exists: only the lease can fail
      s.awaitIdle(Duration.ofMinutes(1));
    }
    var unreachable =
        Map.of(
            "ANCLA_SNAPSHOT_URL", "s3://ancla-backups/prod",
            "ANCLA_S3_ENDPOINT", "http://127.0.0.1:1",
            "AWS_ACCESS_KEY_ID", "AKIAUNREACHABLE00001",
            "AWS_SECRET_ACCESS_KEY", "unreachable-Secret-Value-0000000000000000");
    try (var s = TestServer.start(data, docs, env(unreachable))) {
      var e = assertThrows(java.io.IOException.class, s.server::open);
      assertTrue(e.getMessage().contains("s3://ancla-backups/prod"), e.getMessage());
      assertEquals(503, s.get("/readyz").status());
    }
    try (var lock = DataDirLock.acquire(data)) {
      assertNotNull(lock, "the failed boot released the data directory");
    }
  }
}
