package dev.ancla.index.solr;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class SolrUrlTest {
  @Test
  void severalNodesACollectionAndItsShape() {
    var url = SolrUrl.parse("solr://h1:8983,h2/ancla?shards=2&replicas=3");
    assertEquals(
        List.of(URI.create("http://h1:8983/solr"), URI.create("http://h2:8983/solr")), url.nodes());
    assertEquals("ancla", url.collection());
    assertEquals(2, url.shards());
    assertEquals(3, url.replicas());
    assertEquals(new SolrUrl(url.nodes(), "ancla", 1, 2), SolrUrl.parse("solr://h1:8983,h2/ancla"));
    assertEquals("https", SolrUrl.parse("solrs://h/a").nodes().getFirst().getScheme());
  }

  @Test
  void mistakesSayWhatToWrite() {
    for (String bad :
        List.of(
            "http://h:8983/solr/ancla",
            "solr://h:8983",
            "solr://h:8983/",
            "solr://h:8983/an/cla",
            "solr://h:8983/ancla?shards=0",
            "solr://h:8983/ancla?shards=two",
            "solr://h:8983/ancla?routers=2",
            "solr://h 1/ancla")) {
      var e = assertThrows(IllegalArgumentException.class, () -> SolrUrl.parse(bad), bad);
      assertTrue(e.getMessage().contains("ANCLA_INDEX_URL"), e.getMessage());
      assertTrue(e.getMessage().contains("solr://") || e.getMessage().contains("1 to 1000"), bad);
    }
  }
}
