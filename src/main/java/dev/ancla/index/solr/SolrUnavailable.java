package dev.ancla.index.solr;

import java.io.IOException;

/** No node of the cluster answered: searches answer 503, a sync fails and keeps what it had. */
public final class SolrUnavailable extends IOException {
  public SolrUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
