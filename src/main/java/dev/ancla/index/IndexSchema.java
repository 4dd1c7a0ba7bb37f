package dev.ancla.index;

/**
 * Field names of the one Lucene index. Two kinds of Lucene documents share it: chunks (what search
 * finds) and registry entries (one per source file: its version, hash, status). A file's registry
 * entry and its chunks carry the same {@link #DOC_KEY} and are written as one block, so a commit
 * holds all of a file or none of it.
 */
public final class IndexSchema {
  private IndexSchema() {}

  /**
   * Bumped when fields or their meanings change; stored in the commit data. 2 added {@link
   * #TEXT_NGRAM} and {@link #HEADING_NGRAM}. A commit keeps the version its index already had,
   * since a sync rewrites only changed files: only a rebuild ({@code ancla reindex}) brings an
   * index to this version.
   */
  public static final int VERSION = 2;

  public static final String KIND = "kind";
  public static final String KIND_CHUNK = "chunk";
  public static final String KIND_DOCUMENT = "doc";

  /**
   * A source's state kept beside its cursor ({@link ChunkIndex#putState}): {@link #ID} is {@code
   * "s:" + key}, the value is stored in {@link #STATE_VALUE}. Matched by no search, count or
   * registry query, which all name the kind they want.
   */
  public static final String KIND_STATE = "state";

  public static final String STATE_VALUE = "state_value";

  /** Unique per Lucene document. */
  public static final String ID = "id";

  /**
   * {@code source + ":" + item id}: all Lucene documents of one source item. For folders the item
   * id is the relative path, as it was before items had ids, so older indexes keep their keys.
   */
  public static final String DOC_KEY = "doc_key";

  public static final String SOURCE = "source";
  public static final String PATH = "path";

  /**
   * The item's id inside its source (stored); absent in entries written before ids, whose id is
   * their {@link #PATH} (they all came from folders).
   */
  public static final String ITEM_ID = "item_id";

  /** Where a citation points when outside Ancla (Drive's webViewLink), stored when present. */
  public static final String LINK = "link";

  public static final String EXTENSION = "ext";
  public static final String TITLE = "title";

  // chunks
  public static final String ORDINAL = "ordinal";
  public static final String TEXT = "text";
  public static final String HEADING = "heading";

  /**
   * {@link #TEXT} and {@link #HEADING} again as character n-grams of the folded words ({@link
   * Analyzers#ngrams}), a second lexical representation that matches inflections and compounds the
   * stemmer misses. Indexed with frequencies, no positions, not stored.
   */
  public static final String TEXT_NGRAM = "text_ng";

  public static final String HEADING_NGRAM = "heading_ng";
  public static final String PAGE = "page";
  public static final String TEXT_HASH = "text_hash";
  public static final String VECTOR = "vector";

  // registry entries
  public static final String SIZE = "size";

  /** Written before versions were stored; read as the version {@code size:modified}. */
  public static final String MODIFIED = "modified";

  public static final String VERSION_FIELD = "version";
  public static final String CONTENT_HINT = "content_hint";
  public static final String CONTENT_HASH = "content_hash";
  public static final String CHUNKS = "chunks";
  public static final String STATUS = "status";
  public static final String ERROR = "error";
  public static final String MEDIA_TYPE = "media_type";
  public static final String TRUNCATED = "truncated";
  public static final String PARSE_MILLIS = "parse_ms";
  public static final String EMBED_MILLIS = "embed_ms";
  public static final String INDEXED_AT = "indexed_at";

  public static String docKey(String source, String itemId) {
    return source + ":" + itemId;
  }
}
