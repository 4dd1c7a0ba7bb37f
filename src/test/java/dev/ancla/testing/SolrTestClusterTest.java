package dev.ancla.testing;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test cluster itself: three live nodes in a child JVM, one stopped and started again. */
class SolrTestClusterTest {
  @TempDir static Path dir;
  static SolrTestCluster cluster;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void start() throws Exception {
    cluster = SolrTestCluster.start(dir, 3);
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  private JsonNode clusterStatus(URI node) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(node + "/admin/collections?action=CLUSTERSTATUS&wt=json"))
            .timeout(Duration.ofSeconds(10))
            .build();
    var response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new ObjectMapper().readTree(response.body());
  }

  private int liveNodes(URI node) throws Exception {
    return clusterStatus(node).path("cluster").path("live_nodes").size();
  }

  @Test
  void threeNodesServeAndOneCanBeStoppedAndStartedAgain() throws Exception {
    assertEquals(3, cluster.nodes().size());
    for (URI node : cluster.nodes()) {
      assertEquals(3, liveNodes(node));
    }
    // Solr's classes never reach this JVM: the cluster runs on its own classpath
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("org.apache.solr.cloud.MiniSolrCloudCluster"));

    cluster.stopNode(2);
    URI stopped = cluster.nodes().get(2);
    assertThrows(ConnectException.class, () -> clusterStatus(stopped));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (liveNodes(cluster.nodes().get(0)) != 2 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(2, liveNodes(cluster.nodes().get(0)));

    cluster.startNode(2);
    assertEquals(3, liveNodes(stopped));
  }
}
