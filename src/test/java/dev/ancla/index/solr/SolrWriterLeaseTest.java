package dev.ancla.index.solr;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config;
import dev.ancla.testing.SolrTestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writer lease in a collection of 2 shards × 2 replicas on the shared test cluster: taken,
 * renewed, refused to a second holder, taken over after expiry (the old holder then finds it lost),
 * released, and raced. Expiry is driven by a clock both instances share, so no test sleeps.
 */
class SolrWriterLeaseTest {
  static SolrTestCluster cluster;
  static SolrUrl url;
  static final SolrCollection.Spec SPEC = new SolrCollection.Spec(4, Config.Language.EN);
  static final Duration TTL = Duration.ofSeconds(60);

  /** A clock the test moves forward. */
  static final class TestClock extends Clock {
    volatile Instant now = Instant.parse("2026-12-08T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  final TestClock clock = new TestClock();
  SolrChunkIndex index;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = SolrTestCluster.shared();
    url = SolrUrl.parse(cluster.indexUrl("writerlease", "?shards=2&replicas=2"));
  }

  @BeforeEach
  void emptyCollection() throws Exception {
    index = SolrChunkIndex.open(url, SPEC, Duration.ofSeconds(30));
    var request =
        HttpRequest.newBuilder(
                URI.create(cluster.nodes().getFirst() + "/writerlease/update?commit=true&wt=json"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"delete\":{\"query\":\"*:*\"}}"))
            .timeout(Duration.ofSeconds(30))
            .build();
    var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
  }

  @Test
  void aFreeLeaseIsTakenRenewedAndRefusedToASecondHolderNamingTheFirst() throws Exception {
    try (var a = new SolrWriterLease(index, "writer-a", TTL, clock);
        var b = new SolrWriterLease(index, "writer-b", TTL, clock)) {
      assertTrue(SolrWriterLease.peek(index).isEmpty());
      var held = assertInstanceOf(SolrWriterLease.State.Held.class, a.acquire());
      assertEquals(1, held.epoch());
      assertEquals(clock.now.plus(TTL), held.expiresAt());

      clock.now = clock.now.plusSeconds(20);
      var renewed = assertInstanceOf(SolrWriterLease.State.Held.class, a.renew());
      assertEquals(clock.now.plus(TTL), renewed.expiresAt());
      var stored = SolrWriterLease.peek(index).orElseThrow();
      assertEquals("writer-a", stored.holder());
      assertEquals(clock.now.plus(TTL).toString(), stored.expiresAt());

      var refused = assertThrows(SolrWriterLease.HeldException.class, b::acquire);
      assertTrue(refused.getMessage().contains("writer-a"), refused.getMessage());
      assertEquals("writer-a", refused.record().holder());
      assertInstanceOf(SolrWriterLease.State.NotTaken.class, b.state());

      // taking it again while ours keeps the epoch
      assertEquals(1, assertInstanceOf(SolrWriterLease.State.Held.class, a.acquire()).epoch());
    }
  }

  @Test
  void anExpiredLeaseIsTakenWithTheNextEpochAndTheOldHolderFindsItLost() throws Exception {
    try (var a = new SolrWriterLease(index, "writer-a", TTL, clock);
        var b = new SolrWriterLease(index, "writer-b", TTL, clock)) {
      a.acquire();
      clock.now = clock.now.plus(TTL).plusSeconds(1); // a paused past its expiry
      var taken = assertInstanceOf(SolrWriterLease.State.Held.class, b.acquire());
      assertEquals(2, taken.epoch());

      var lost = assertInstanceOf(SolrWriterLease.State.Lost.class, a.renew());
      assertEquals("writer-b", lost.holder());
      assertEquals(2, lost.theirEpoch());
      // lost stays lost: a does not take it back, and b still holds it
      assertInstanceOf(SolrWriterLease.State.Lost.class, a.acquire());
      assertEquals("writer-b", SolrWriterLease.peek(index).orElseThrow().holder());
      assertInstanceOf(SolrWriterLease.State.Held.class, b.renew());
    }
  }

  @Test
  void aReleasedLeaseIsTakenAtOnceByTheNextWriter() throws Exception {
    try (var a = new SolrWriterLease(index, "writer-a", TTL, clock);
        var b = new SolrWriterLease(index, "writer-b", TTL, clock)) {
      a.acquire();
      assertThrows(SolrWriterLease.HeldException.class, b::acquire);
      a.release();
      assertInstanceOf(SolrWriterLease.State.NotTaken.class, a.state());
      assertTrue(SolrWriterLease.peek(index).orElseThrow().expired(clock.now));
      assertEquals(2, assertInstanceOf(SolrWriterLease.State.Held.class, b.acquire()).epoch());
      // releasing a lease no longer ours changes nothing
      a.release();
      assertEquals("writer-b", SolrWriterLease.peek(index).orElseThrow().holder());
    }
  }

  @Test
  void theLeaseDocumentIsNoFileChunkOrCommit() throws Exception {
    try (var a = new SolrWriterLease(index, "writer-a", TTL, clock)) {
      a.acquire();
      index.refresh();
      var counts = index.counts();
      assertEquals(0, counts.documents());
      assertEquals(0, counts.chunks());
      assertTrue(index.registryEntries(e -> true).isEmpty());
      assertTrue(index.lastCommit().isEmpty());
    }
  }

  @Test
  void writersTakingAFreeLeaseAtTheSameMomentLeaveExactlyOneHolder() throws Exception {
    for (int round = 0; round < 3; round++) {
      emptyCollection();
      int writers = 4;
      var barrier = new CyclicBarrier(writers);
      var leases = new ArrayList<SolrWriterLease>();
      var tasks = new ArrayList<Callable<String>>();
      for (int i = 0; i < writers; i++) {
        var lease = new SolrWriterLease(index, "writer-" + round + "-" + i, TTL, clock);
        leases.add(lease);
        tasks.add(
            () -> {
              barrier.await();
              try {
                return lease.acquire() instanceof SolrWriterLease.State.Held ? lease.holder() : "";
              } catch (SolrWriterLease.HeldException e) {
                return "";
              }
            });
      }
      List<String> winners = new ArrayList<>();
      try (var pool = Executors.newFixedThreadPool(writers)) {
        for (Future<String> f : pool.invokeAll(tasks)) {
          if (!f.get().isEmpty()) {
            winners.add(f.get());
          }
        }
      }
      leases.forEach(SolrWriterLease::close);
      assertEquals(1, winners.size(), "round " + round + ": " + winners);
      assertEquals(winners.getFirst(), SolrWriterLease.peek(index).orElseThrow().holder());
    }
  }
}
