package dev.ancla.index.solr;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the SolrCloud collection is: {@code ANCLA_INDEX_URL}, e.g. {@code
 * solr://host1:8983,host2:8983/ancla?shards=2&replicas=2}. Every node listed is tried in turn, so
 * listing several survives one being down. shards and replicas only matter when Ancla creates the
 * collection; they default to 1 and 2.
 *
 * @param nodes each node's base URL, e.g. http://host1:8983/solr
 */
public record SolrUrl(List<URI> nodes, String collection, int shards, int replicas) {
  private static final String EXAMPLE =
      "e.g. solr://host1:8983,host2:8983/ancla?shards=2&replicas=2";

  public SolrUrl {
    nodes = List.copyOf(nodes);
  }

  /** Parses {@code raw}; a mistake is an IllegalArgumentException that says what to write. */
  public static SolrUrl parse(String raw) {
    String s = raw.strip();
    String scheme = s.startsWith("solrs://") ? "https" : s.startsWith("solr://") ? "http" : null;
    if (scheme == null) {
      throw new IllegalArgumentException(
          "ANCLA_INDEX_URL is \"" + raw + "\"; expected solr:// or solrs:// (TLS), " + EXAMPLE);
    }
    String rest = s.substring(s.indexOf("://") + 3);
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new IllegalArgumentException(
          "ANCLA_INDEX_URL is \"" + raw + "\"; it needs hosts and a collection name, " + EXAMPLE);
    }
    String hosts = rest.substring(0, slash);
    String path = rest.substring(slash + 1);
    String query = "";
    int q = path.indexOf('?');
    if (q >= 0) {
      query = path.substring(q + 1);
      path = path.substring(0, q);
    }
    if (!path.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "ANCLA_INDEX_URL names the collection \""
              + path
              + "\"; use letters, digits, '.', '_' and '-', "
              + EXAMPLE);
    }
    var nodes = new ArrayList<URI>();
    for (String host : hosts.split(",")) {
      String h = host.strip();
      if (!h.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
        throw new IllegalArgumentException(
            "ANCLA_INDEX_URL has the host \"" + host + "\"; expected host:port, " + EXAMPLE);
      }
      nodes.add(URI.create(scheme + "://" + (h.contains(":") ? h : h + ":8983") + "/solr"));
    }
    int shards = 1;
    int replicas = 2;
    for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
      String[] kv = pair.split("=", 2);
      String key = kv[0].toLowerCase(Locale.ROOT);
      int value = kv.length == 2 ? positive(kv[1], key, raw) : 0;
      switch (key) {
        case "shards" -> shards = value;
        case "replicas" -> replicas = value;
        default ->
            throw new IllegalArgumentException(
                "ANCLA_INDEX_URL has the option \""
                    + kv[0]
                    + "\"; known: shards, replicas, "
                    + EXAMPLE);
      }
    }
    return new SolrUrl(nodes, path, shards, replicas);
  }

  private static int positive(String value, String key, String raw) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= 1000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "ANCLA_INDEX_URL sets "
            + key
            + " to \""
            + value
            + "\" in \""
            + raw
            + "\"; expected 1 to 1000");
  }
}
