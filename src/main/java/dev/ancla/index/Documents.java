package dev.ancla.index;

import static dev.ancla.index.IndexSchema.*;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.VectorSimilarityFunction;

/** Converts registry entries and chunks to Lucene documents and back. */
final class Documents {
  private Documents() {}

  /** Vectors are unit length, so the dot product is the cosine and costs less. */
  static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

  /** N-gram fields: BM25 needs term frequencies and lengths, not positions. */
  private static final FieldType NGRAM_FIELD = ngramField();

  private static FieldType ngramField() {
    var type = new FieldType();
    type.setTokenized(true);
    type.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
    type.setStored(false);
    type.freeze();
    return type;
  }

  static String registryId(String docKey) {
    return "d:" + docKey;
  }

  static String stateId(String key) {
    return "s:" + key;
  }

  static Document state(String key, String value) {
    var doc = new Document();
    doc.add(new StringField(KIND, KIND_STATE, Store.NO));
    doc.add(new StringField(ID, stateId(key), Store.YES));
    doc.add(new StoredField(STATE_VALUE, value));
    return doc;
  }

  static Document chunk(RegistryEntry entry, ChunkRecord chunk) {
    var doc = new Document();
    String key = entry.docKey();
    doc.add(new StringField(KIND, KIND_CHUNK, Store.NO));
    doc.add(new StringField(ID, "c:" + key + "#" + chunk.ordinal(), Store.NO));
    doc.add(new StringField(DOC_KEY, key, Store.NO));
    doc.add(new StringField(SOURCE, entry.source(), Store.YES));
    doc.add(new StringField(PATH, entry.path(), Store.YES));
    doc.add(new StoredField(ITEM_ID, entry.id()));
    entry.link().ifPresent(link -> doc.add(new StoredField(LINK, link.toString())));
    doc.add(new StringField(EXTENSION, extension(entry.path()), Store.NO));
    doc.add(new StoredField(ORDINAL, chunk.ordinal()));
    doc.add(new TextField(TEXT, chunk.text(), Store.YES));
    doc.add(new Field(TEXT_NGRAM, chunk.text(), NGRAM_FIELD));
    if (!chunk.headingPath().isEmpty()) {
      doc.add(new TextField(HEADING, chunk.headingPath(), Store.YES));
      doc.add(new Field(HEADING_NGRAM, chunk.headingPath(), NGRAM_FIELD));
    }
    if (chunk.page() > 0) {
      doc.add(new StoredField(PAGE, chunk.page()));
    }
    doc.add(new StringField(TEXT_HASH, chunk.textHash(), Store.NO));
    doc.add(new KnnFloatVectorField(VECTOR, chunk.vector(), SIMILARITY));
    return doc;
  }

  static Document registry(RegistryEntry entry) {
    var doc = new Document();
    String key = entry.docKey();
    doc.add(new StringField(KIND, KIND_DOCUMENT, Store.NO));
    doc.add(new StringField(ID, registryId(key), Store.NO));
    doc.add(new StringField(DOC_KEY, key, Store.NO));
    doc.add(new StringField(SOURCE, entry.source(), Store.YES));
    doc.add(new StringField(PATH, entry.path(), Store.YES));
    doc.add(new StoredField(ITEM_ID, entry.id()));
    doc.add(new StringField(EXTENSION, extension(entry.path()), Store.NO));
    doc.add(new StoredField(SIZE, entry.size()));
    doc.add(new StoredField(VERSION_FIELD, entry.version()));
    entry.contentHint().ifPresent(hint -> doc.add(new StoredField(CONTENT_HINT, hint)));
    entry.link().ifPresent(link -> doc.add(new StoredField(LINK, link.toString())));
    doc.add(new StringField(CONTENT_HASH, entry.contentHash(), Store.YES));
    doc.add(new StringField(STATUS, entry.status().name().toLowerCase(Locale.ROOT), Store.YES));
    entry.error().ifPresent(e -> doc.add(new StoredField(ERROR, e)));
    doc.add(new StoredField(CHUNKS, entry.chunks()));
    doc.add(new StoredField(MEDIA_TYPE, entry.mediaType()));
    doc.add(new StoredField(TITLE, entry.title()));
    doc.add(new StoredField(TRUNCATED, entry.truncated() ? 1 : 0));
    doc.add(new StoredField(PARSE_MILLIS, entry.parseMillis()));
    doc.add(new StoredField(EMBED_MILLIS, entry.embedMillis()));
    doc.add(new StoredField(INDEXED_AT, entry.indexedAtMillis()));
    return doc;
  }

  static RegistryEntry registryEntry(Document doc) {
    String path = doc.get(PATH);
    long size = number(doc, SIZE);
    String version = doc.get(VERSION_FIELD);
    return new RegistryEntry(
        doc.get(SOURCE),
        Optional.ofNullable(doc.get(ITEM_ID)).orElse(path),
        path,
        version != null ? version : RegistryEntry.folderVersion(size, number(doc, MODIFIED)),
        size,
        Optional.ofNullable(doc.get(CONTENT_HINT)),
        Optional.ofNullable(doc.get(LINK)).map(URI::create),
        doc.get(CONTENT_HASH),
        RegistryEntry.Status.valueOf(doc.get(STATUS).toUpperCase(Locale.ROOT)),
        Optional.ofNullable(doc.get(ERROR)),
        (int) number(doc, CHUNKS),
        orEmpty(doc.get(MEDIA_TYPE)),
        orEmpty(doc.get(TITLE)),
        number(doc, TRUNCATED) == 1,
        number(doc, PARSE_MILLIS),
        number(doc, EMBED_MILLIS),
        number(doc, INDEXED_AT));
  }

  static String extension(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static long number(Document doc, String field) {
    var value = doc.getField(field);
    return value == null || value.numericValue() == null ? 0 : value.numericValue().longValue();
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
