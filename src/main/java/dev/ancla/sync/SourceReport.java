package dev.ancla.sync;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one sync did with one source. {@code listed} against {@code indexed + unchanged + skipped +
 * failed} shows a gap at a glance.
 *
 * @param listed items the listing held (for a change feed: the changed items)
 * @param indexed items parsed and embedded (vectors of unchanged texts reused)
 * @param unchanged items with the indexed content: same version, same content hint, or fetched and
 *     found byte-identical
 * @param relisted items whose registry entry or chunks moved without embedding (touch, rename)
 * @param error why the source could not be listed; its documents were kept
 * @param fullListing false when the source answered with its changes since the stored cursor
 */
public record SourceReport(
    String id,
    String kind,
    String root,
    int listed,
    int indexed,
    int unchanged,
    int relisted,
    int skipped,
    int failed,
    int deleted,
    Optional<String> error,
    boolean fullListing) {

  public Map<String, Object> fields() {
    var m = new LinkedHashMap<String, Object>();
    m.put("id", id);
    m.put("kind", kind);
    m.put("root", root);
    m.put("listed", listed);
    m.put("indexed", indexed);
    m.put("unchanged", unchanged);
    m.put("relisted", relisted);
    m.put("skipped", skipped);
    m.put("failed", failed);
    m.put("deleted", deleted);
    m.put("fullListing", fullListing);
    m.put("error", error.orElse(null));
    return m;
  }
}
