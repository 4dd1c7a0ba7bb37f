package dev.ancla.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.testing.SolrTestCluster;
import dev.ancla.testing.TestAncla;
import dev.ancla.testing.TestModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ancla sync}, {@code search} and {@code status} with ANCLA_INDEX_URL on the shared
 * SolrCloud cluster: the index lives in the collection, not in the data directory; a sync while no
 * node answers fails clearly and loses nothing; reindex is refused with the way to do it in Solr.
 */
class CliSolrTest {
  @TempDir Path dir;

  private final Set<Integer> stopped = new TreeSet<>();
  private String url;

  record Result(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }
  }

  private Result run(String... args) {
    Map<String, String> env =
        TestAncla.env(dir.resolve("data"), dir.resolve("docs"), "ANCLA_INDEX_URL", url);
    var out = new StringWriter();
    var err = new StringWriter();
    var context =
        new CliContext(
            env,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            false,
            (Config c) -> {
              var parts = TestAncla.parts(c);
              return new Ancla.Parts(TestModel::shared, parts.parser(), parts.clock());
            });
    int exit = Main.run(context, args);
    return new Result(exit, out.toString(), err.toString());
  }

  @AfterEach
  void startStoppedNodes() throws Exception {
    var cluster = SolrTestCluster.shared();
    for (int node : List.copyOf(stopped)) {
      cluster.startNode(node);
      stopped.remove(node);
    }
  }

  @Test
  void syncSearchAndStatusUseTheCollection() throws Exception {
    var cluster = SolrTestCluster.shared();
    url = cluster.indexUrl("cli_solr", "?replicas=2");
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(docs.resolve("faros.md"), "# Faros\n\nEl faro guía a los barcos de noche.\n");
    Files.writeString(
        docs.resolve("pan.txt"), "El pan se hace con harina, agua, sal y levadura.\n");

    Result sync = run("sync", "--json");
    assertEquals(0, sync.exit(), sync.err());
    assertFalse(Files.exists(dir.resolve("data").resolve("index")), "no local index is written");

    Result search = run("search", "--json", "harina", "levadura");
    assertEquals(0, search.exit(), search.err());
    assertEquals("pan.txt", search.json().path("results").path(0).path("path").asText());

    Result status = run("status", "--json");
    assertEquals(0, status.exit(), status.err());
    assertEquals(2, status.json().path("documents").asInt(), status.out());

    Result reindex = run("reindex");
    assertNotEquals(0, reindex.exit());
    assertTrue(reindex.err().contains("ANCLA_INDEX_URL"), reindex.err());

    // no node answers: the sync fails saying so, and what was indexed stays
    Files.writeString(docs.resolve("teide.txt"), "El Teide es un volcán de Tenerife.\n");
    for (int i = 0; i < cluster.nodes().size(); i++) {
      cluster.stopNode(i);
      stopped.add(i);
    }
    Result down = run("sync");
    assertNotEquals(0, down.exit());
    assertTrue(down.err().contains("no Solr node answered"), down.err());
    startStoppedNodes();
    long deadline = System.nanoTime() + 60_000_000_000L;
    Result after;
    while ((after = run("status", "--json")).exit() != 0) {
      assertTrue(System.nanoTime() < deadline, "the cluster did not answer again: " + after.err());
      Thread.sleep(500);
    }
    assertEquals(2, after.json().path("documents").asInt(), after.out());
    Result again = run("sync", "--json");
    assertEquals(0, again.exit(), again.err());
    assertEquals(3, run("status", "--json").json().path("documents").asInt());
  }
}
