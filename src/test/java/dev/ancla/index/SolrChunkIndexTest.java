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
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;

/**
 * The index contract on a SolrCloud collection of 2 shards × 2 replicas over 3 nodes, in a child
 * JVM. One cluster and one collection for the class; each test starts from an empty collection.
 */
class SolrChunkIndexTest extends ChunkIndexContract {
  static SolrTestCluster cluster;
  static SolrUrl url;
  static final SolrCollection.Spec SPEC = new SolrCollection.Spec(4, Config.Language.ES);

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = SolrTestCluster.shared();
    url = SolrUrl.parse(cluster.indexUrl("contract", "?shards=2&replicas=2"));
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
