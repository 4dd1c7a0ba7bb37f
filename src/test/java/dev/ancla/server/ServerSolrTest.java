package dev.ancla.server;

import static dev.ancla.server.TestServer.ADMIN;
import static dev.ancla.server.TestServer.API;
import static dev.ancla.server.TestServer.bearer;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.testing.SolrTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ancla serve} with ANCLA_INDEX_URL on a real 3-node SolrCloud cluster: the first sync
 * indexes a folder into the collection and searches find it; with every node stopped the server
 * turns unready, searches answer 503 and a sync fails keeping what was indexed; when the nodes
 * return, it is ready again by itself.
 */
class ServerSolrTest {
  static SolrTestCluster cluster;

  @TempDir Path dir;

  private final Set<Integer> stopped = new TreeSet<>();

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = SolrTestCluster.shared();
  }

  /** The cluster is shared with other classes: every node stopped here starts again. */
  @AfterEach
  void startStoppedNodes() throws Exception {
    for (int node : List.copyOf(stopped)) {
      cluster.startNode(node);
      stopped.remove(node);
    }
  }

  @Test
  void servesTheCollectionAndIsUnreadyWhileNoNodeAnswers() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(
        docs.resolve("faros.md"),
        "# Faros\n\nEl faro de Hércules guía a los barcos en la costa de La Coruña desde época"
            + " romana.\n");
    Files.writeString(
        docs.resolve("pan.txt"),
        "Para hacer pan se mezcla harina, agua, sal y levadura, y se hornea la masa.\n");
    Files.writeString(
        docs.resolve("teide.txt"),
        "El Teide es un volcán de Tenerife y la montaña más alta de España.\n");
    String url = cluster.indexUrl("serve_solr", "?replicas=2");
    try (var s =
        TestServer.open(
            dir.resolve("data"),
            docs,
            "ANCLA_INDEX_URL",
            url,
            "ANCLA_ADMIN_TOKEN",
            ADMIN,
            "ANCLA_API_TOKEN",
            API)) {
      JsonNode first = s.awaitIdle(Duration.ofMinutes(3));
      assertEquals("complete", first.path("state").asText(), first.toString());
      assertEquals(200, s.get("/readyz").status());

      JsonNode status = s.get("/api/status", bearer(ADMIN)).json();
      assertEquals(3, status.path("documents").asInt(), status.toString());
      // the data directory holds no Lucene index: the chunks are in the collection
      assertFalse(Files.exists(dir.resolve("data").resolve("index").resolve("segments_1")));

      var search = s.get("/api/search?q=faro+barcos&k=3", bearer(API));
      assertEquals(200, search.status(), search.body());
      JsonNode results = search.json().path("results");
      assertTrue(results.size() >= 1, search.body());
      assertEquals("faros.md", results.get(0).path("path").asText(), search.body());

      // a reindex rebuilds the local index: refused, with the way to do it in Solr
      var reindex = s.post("/api/reindex", bearer(ADMIN));
      assertEquals(409, reindex.status(), reindex.body());
      assertTrue(reindex.error().contains("ANCLA_INDEX_URL"), reindex.body());

      // every node stops: unready, searches 503 with the reason, a sync fails
      for (int i = 0; i < cluster.nodes().size(); i++) {
        cluster.stopNode(i);
        stopped.add(i);
      }
      await(() -> s.get("/readyz").status() == 503, "unready while no node answers");
      JsonNode ready = s.get("/readyz").json();
      assertFalse(ready.path("ready").asBoolean(), ready.toString());
      assertTrue(ready.path("reason").asText().contains("Solr"), ready.toString());
      var down = s.get("/api/search?q=faro", bearer(API));
      assertEquals(503, down.status(), down.body());
      assertTrue(down.error().contains("no Solr node answered"), down.body());
      var metrics = s.get("/metrics");
      assertEquals(200, metrics.status(), "metrics answer while the index does not");
      assertTrue(metrics.body().contains("ancla_ready 0"), metrics.body());
      var sync = s.post("/api/sync", bearer(ADMIN));
      assertEquals(202, sync.status(), sync.body());

      // the nodes return: ready again by itself, everything indexed is still there
      for (int node : List.copyOf(stopped)) {
        cluster.startNode(node);
        stopped.remove(node);
      }
      await(() -> s.get("/readyz").status() == 200, "ready again once the nodes return");
      JsonNode failed = s.awaitIdle(Duration.ofMinutes(1));
      assertEquals("failed", failed.path("state").asText(), failed.toString());
      await(
          () -> {
            var again = s.get("/api/search?q=faro+barcos&k=3", bearer(API));
            return again.status() == 200
                && again.json().path("results").path(0).path("path").asText().equals("faros.md");
          },
          "searches find the indexed file again");
      assertEquals(3, s.get("/api/status", bearer(ADMIN)).json().path("documents").asInt());
    }
  }

  @Test
  void startsWhileNoNodeAnswersAndIsReadyOnceTheyDo() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(docs.resolve("faros.md"), "# Faros\n\nEl faro guía a los barcos.\n");
    for (int i = 0; i < cluster.nodes().size(); i++) {
      cluster.stopNode(i);
      stopped.add(i);
    }
    try (var s =
        TestServer.start(
            dir.resolve("data"),
            docs,
            "ANCLA_INDEX_URL",
            cluster.indexUrl("serve_solr_late", "?replicas=1"),
            "ANCLA_ADMIN_TOKEN",
            ADMIN)) {
      var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
      Thread opener =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      s.server.open();
                    } catch (Throwable e) {
                      failure.set(e);
                    }
                  });
      Thread.sleep(3000); // a few failed tries: the start waits instead of failing
      assertTrue(opener.isAlive(), "the start gave up: " + failure.get());
      assertEquals(503, s.get("/readyz").status());
      for (int node : List.copyOf(stopped)) {
        cluster.startNode(node);
        stopped.remove(node);
      }
      opener.join(Duration.ofSeconds(90));
      assertNull(failure.get());
      assertEquals(200, s.get("/readyz").status(), s.get("/readyz").body());
      JsonNode first = s.awaitIdle(Duration.ofMinutes(2));
      assertEquals("complete", first.path("state").asText(), first.toString());
      assertEquals(1, s.get("/api/status", bearer(ADMIN)).json().path("documents").asInt());
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what + ": not within 60 s");
      Thread.sleep(200);
    }
  }
}
