package dev.ancla.index;

import dev.ancla.config.Config;
import dev.ancla.index.solr.SolrChunkIndex;
import dev.ancla.index.solr.SolrChunkSearch;
import dev.ancla.index.solr.SolrCollection;
import dev.ancla.index.solr.SolrUrl;
import dev.ancla.testing.SolrTestCluster;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index contract on a SolrCloud collection of 2 shards × 2 replicas over 3 nodes, in a child
 * JVM. One cluster and one collection for the class; each test starts from an empty collection.
 */
class SolrChunkIndexTest extends ChunkIndexContract {
  @TempDir static Path dir;
  static SolrTestCluster cluster;
  static SolrUrl url;
  static final SolrCollection.Spec SPEC = new SolrCollection.Spec(4, Config.Language.ES);

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = SolrTestCluster.start(dir, 3);
    String hosts =
        cluster.nodes().stream()
            .map(u -> u.getHost() + ":" + u.getPort())
            .collect(Collectors.joining(","));
    url = SolrUrl.parse("solr://" + hosts + "/contract?shards=2&replicas=2");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Override
  protected Backend open() throws Exception {
    Backend b = reopen();
    // an empty collection for each test: everything, the commit document included, deleted
    var request =
        HttpRequest.newBuilder(
                java.net.URI.create(
                    cluster.nodes().getFirst() + "/contract/update?commit=true&wt=json"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"delete\":{\"query\":\"*:*\"}}"))
            .timeout(Duration.ofSeconds(30))
            .build();
    var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(response.body());
    }
    return reopen();
  }

  @Override
  protected Backend reopen() throws Exception {
    var index = SolrChunkIndex.open(url, SPEC, Duration.ofSeconds(30));
    return new Backend(
        index, new SolrChunkSearch(index, Analyzers.forLanguage(Config.Language.ES)), () -> {});
  }
}
