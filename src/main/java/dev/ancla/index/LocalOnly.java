package dev.ancla.index;

/**
 * A feature of the local Lucene index (snapshots, rebuilds, the disk watch) asked for while the
 * index is in Solr ({@code ANCLA_INDEX_URL}). The server answers it with 409 and its message.
 */
public final class LocalOnly extends IllegalStateException {
  public LocalOnly(String message) {
    super(message);
  }
}
