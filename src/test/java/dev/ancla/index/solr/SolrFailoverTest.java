package dev.ancla.index.solr;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config;
import dev.ancla.index.Analyzers;
import dev.ancla.index.ChunkRecord;
import dev.ancla.index.RegistryEntry;
import dev.ancla.query.Filter;
import dev.ancla.query.HybridRetriever;
import dev.ancla.query.RetrievalSettings;
import dev.ancla.query.SearchRequest;
import dev.ancla.testing.SolrTestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failure behaviour on a 3-node cluster with 2 shards × 2 replicas: one node stopped during
 * searches and writes fails none of them; every node stopped makes calls fail with {@link
 * SolrUnavailable} and nothing committed is lost; the nodes started again serve by themselves.
 */
class SolrFailoverTest {
  static SolrTestCluster cluster;
  static SolrUrl url;
  static final SolrCollection.Spec SPEC = new SolrCollection.Spec(4, Config.Language.ES);

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = SolrTestCluster.shared();
    url = SolrUrl.parse(cluster.indexUrl("failover", "?shards=2&replicas=2"));
  }

  /** Nodes this class stopped: started again after each test, for the classes that share them. */
  private final java.util.Set<Integer> stopped = new java.util.TreeSet<>();

  private void stop(int node) throws Exception {
    cluster.stopNode(node);
    stopped.add(node);
  }

  private void start(int node) throws Exception {
    cluster.startNode(node);
    stopped.remove(node);
  }

  @org.junit.jupiter.api.AfterEach
  void startStoppedNodes() throws Exception {
    for (int node : List.copyOf(stopped)) {
      start(node);
    }
  }

  private static RegistryEntry entry(String path, int chunks) {
    return new RegistryEntry(
        "docs",
        path,
        path,
        "1:1",
        1,
        Optional.empty(),
        Optional.empty(),
        "hash-" + path,
        RegistryEntry.Status.OK,
        Optional.empty(),
        chunks,
        "text/plain",
        "",
        false,
        0,
        0,
        0);
  }

  private static void writeFiles(SolrChunkIndex index, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      float angle = i / 10f;
      index.write(
          entry("f" + i + ".txt", 1),
          List.of(
              new ChunkRecord(
                  0,
                  "faro número " + i + " del puerto",
                  "",
                  0,
                  "t" + i,
                  new float[] {(float) Math.cos(angle), (float) Math.sin(angle), 0, 0})));
    }
  }

  @Test
  void theClusterRunsApartFromThisJvm() {
    assertEquals(3, cluster.nodes().size());
    // Solr's classes (Lucene 9, Jetty 10) never reach this JVM: the cluster has its own classpath
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("org.apache.solr.cloud.MiniSolrCloudCluster"));
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("org.eclipse.jetty.servlet.ServletHolder"));
  }

  @Test
  void oneNodeDownFailsNoSearchAndNoWriteThenAllDownFailsClearlyAndRecovers() throws Exception {
    var index = SolrChunkIndex.open(url, SPEC, Duration.ofSeconds(30));
    var search = new SolrChunkSearch(index, Analyzers.forLanguage(Config.Language.ES));
    var retriever = new HybridRetriever(search, Optional.empty(), RetrievalSettings.DEFAULTS);
    writeFiles(index, 0, 40);
    index.commit(Map.of("cursor.docs", "40"));

    var failures = new ArrayList<Throwable>();
    var searches = new AtomicInteger();
    Thread searcher =
        Thread.ofPlatform()
            .start(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    try {
                      var hits = retriever.search(SearchRequest.of("faro puerto", 5));
                      var near =
                          search.withView(v -> v.vectors(new float[] {1, 0, 0, 0}, Filter.NONE, 5));
                      if (hits.size() != 5 || near.size() != 5) {
                        failures.add(new AssertionError("short result: " + hits + " " + near));
                      }
                      searches.incrementAndGet();
                    } catch (Exception | AssertionError e) {
                      failures.add(e);
                    }
                  }
                });
    // a node stops while searches run and while a sync writes and commits
    Thread.sleep(300);
    stop(1);
    int atStop = searches.get();
    writeFiles(index, 40, 60);
    var committed = index.commit(Map.of("cursor.docs", "60"));
    searcher.join();
    assertEquals(List.of(), failures);
    assertEquals(200, searches.get());
    assertTrue(atStop < 200, "the node stopped after the searches: " + atStop);
    assertEquals(60, committed.documents());
    assertEquals(60, index.counts().chunks());

    // every node down: a clear, typed failure, and the last commit is kept
    stop(0);
    stop(2);
    var down =
        assertThrows(SolrUnavailable.class, () -> retriever.search(SearchRequest.of("faro", 5)));
    assertTrue(down.getMessage().contains("no Solr node answered"), down.getMessage());
    assertThrows(SolrUnavailable.class, () -> index.write(entry("late.txt", 0), List.of()));
    assertThrows(SolrUnavailable.class, () -> index.commit(Map.of("cursor.docs", "61")));

    // the nodes return: the same client works again, with nothing lost
    for (int i = 0; i < 3; i++) {
      start(i);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        if (index.counts().chunks() == 60
            && retriever.search(SearchRequest.of("faro", 5)).size() == 5) {
          break;
        }
      } catch (java.io.IOException e) {
        // replicas still recovering
      }
      assertTrue(System.nanoTime() < deadline, "the cluster did not serve again within 60 s");
      Thread.sleep(200);
    }
    var reopened = SolrChunkIndex.open(url, SPEC, Duration.ofSeconds(30));
    assertEquals("60", reopened.lastCommit().orElseThrow().raw().get("cursor.docs"));
    assertEquals(60, reopened.registry("docs").size());
  }
}
