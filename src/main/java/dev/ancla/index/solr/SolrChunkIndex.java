package dev.ancla.index.solr;

import static dev.ancla.index.IndexSchema.*;
import static dev.ancla.index.solr.SolrQueries.NODES;
import static dev.ancla.index.solr.SolrQueries.term;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ancla.index.ChunkIndex;
import dev.ancla.index.ChunkRecord;
import dev.ancla.index.CommitInfo;
import dev.ancla.index.IndexSchema;
import dev.ancla.index.RegistryEntry;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * {@link ChunkIndex} on a SolrCloud collection. A file's registry entry and chunks share one
 * routing prefix (compositeId), so they live on one shard and one update request replaces them.
 * Solr's commits carry no user data, so a checkpoint is a document of its own ({@code kind:commit},
 * the commit data as JSON in {@code meta}) sent in the request that commits: the data and its
 * metadata become durable in the same hard commit.
 *
 * <p>Unlike the local index, writes sent but not committed are not dropped when Ancla stops: Solr's
 * update log keeps them for the next commit. Each file's write is whole, and the commit document
 * only moves forward with a commit, so a sync resumes from the last commit's cursors and redoes the
 * rest; nothing is skipped.
 */
public final class SolrChunkIndex implements ChunkIndex {
  static final String KIND_COMMIT = "commit";
  private static final String COMMIT_ID = "_ancla!commit";
  private static final String REGISTRY_FIELDS =
      String.join(
          ",",
          SOURCE,
          ITEM_ID,
          PATH,
          VERSION_FIELD,
          SIZE,
          CONTENT_HINT,
          LINK,
          CONTENT_HASH,
          STATUS,
          ERROR,
          CHUNKS,
          MEDIA_TYPE,
          TITLE,
          TRUNCATED,
          PARSE_MILLIS,
          EMBED_MILLIS,
          INDEXED_AT);
  private static final int PAGE_ROWS = 1000;

  private final SolrHttp http;
  private final String collection;
  private final SolrCollection.Spec spec;
  private final List<Consumer<CommitInfo>> listeners = new CopyOnWriteArrayList<>();
  private final Set<Map<String, float[]>> pins = ConcurrentHashMap.newKeySet();
  private volatile CommitInfo ownLastCommit;

  /**
   * States put since the last commit (guarded by this). Held here rather than sent at once: Solr's
   * update log would keep a sent state for the next commit even after a crash, ahead of the cursor
   * it belongs to, so they go in the commit's own request.
   */
  private final Map<String, String> pendingState = new HashMap<>();

  SolrChunkIndex(SolrHttp http, String collection, SolrCollection.Spec spec) {
    this.http = http;
    this.collection = collection;
    this.spec = spec;
  }

  /**
   * Connects to the collection at {@code url}, creating it with Ancla's configset when it does not
   * exist, and checking its schema and vector dimension when it does.
   */
  public static SolrChunkIndex open(SolrUrl url, SolrCollection.Spec spec, Duration timeout)
      throws IOException {
    var http = new SolrHttp(url.nodes(), timeout);
    SolrCollection.ensure(http, url, spec);
    return new SolrChunkIndex(http, url.collection(), spec);
  }

  SolrHttp http() {
    return http;
  }

  String collection() {
    return collection;
  }

  SolrCollection.Spec spec() {
    return spec;
  }

  // ---- writes

  @Override
  public synchronized void write(RegistryEntry entry, List<ChunkRecord> chunks) throws IOException {
    keepForPins(entry.docKey());
    update(
        json -> {
          deleteFile(json, entry.docKey());
          for (ChunkRecord chunk : chunks) {
            json.writeFieldName("add");
            json.writeStartObject();
            json.writeObjectField("doc", chunkDoc(entry, chunk));
            json.writeEndObject();
          }
          add(json, registryDoc(entry));
        },
        "");
  }

  @Override
  public synchronized void updateRegistry(RegistryEntry entry) throws IOException {
    update(json -> add(json, registryDoc(entry)), "");
  }

  @Override
  public synchronized void delete(String docKey) throws IOException {
    keepForPins(docKey);
    update(json -> deleteFile(json, docKey), "");
  }

  @Override
  public synchronized boolean relocate(RegistryEntry moved) throws IOException {
    List<ChunkRecord> chunks = storedChunks(moved.docKey());
    if (chunks == null || chunks.size() != moved.chunks()) {
      return false;
    }
    write(moved, chunks);
    return true;
  }

  @Override
  public synchronized CommitInfo commit(Map<String, String> userData) throws IOException {
    refresh(); // the counts below must see everything written
    Optional<CommitInfo> last = lastCommit();
    int schema = last.map(CommitInfo::schemaVersion).orElse(IndexSchema.VERSION);
    long generation = last.map(CommitInfo::generation).orElse(0L) + 1;
    Counts counts = counts();
    var data = new HashMap<>(userData);
    data.put("schema", String.valueOf(schema));
    data.put("documents", String.valueOf(counts.documents()));
    data.put("chunks", String.valueOf(counts.chunks()));
    data.put("failed", String.valueOf(counts.failed()));
    data.put("skipped", String.valueOf(counts.skipped()));
    data.put("solr.generation", String.valueOf(generation));
    ObjectNode doc = NODES.objectNode();
    doc.put(ID, COMMIT_ID);
    doc.put(KIND, KIND_COMMIT);
    doc.put("meta", SolrHttp.JSON.writeValueAsString(new java.util.TreeMap<>(data)));
    var states = new ArrayList<ObjectNode>();
    pendingState.forEach((key, value) -> states.add(stateDoc(key, value)));
    update(
        json -> {
          for (ObjectNode state : states) {
            add(json, state);
          }
          add(json, doc);
        },
        "&commit=true&waitSearcher=true");
    pendingState.clear();
    CommitInfo info = CommitInfo.from(generation, data);
    ownLastCommit = info;
    listeners.forEach(l -> l.accept(info));
    return info;
  }

  @Override
  public synchronized void putState(String key, String value) {
    pendingState.put(key, value);
  }

  @Override
  public Optional<String> state(String key) throws IOException {
    synchronized (this) {
      String pending = pendingState.get(key);
      if (pending != null) {
        return Optional.of(pending);
      }
    }
    JsonNode docs =
        query(SolrQueries.request(term(ID, stateId(key)), null, 1, "meta")).path("docs");
    return docs.isEmpty() ? Optional.empty() : Optional.of(docs.get(0).path("meta").asText());
  }

  private static String stateId(String key) {
    return "_ancla!state:" + key;
  }

  /** A state is a document of its own kind, its value in {@code meta} (stored, not indexed). */
  private static ObjectNode stateDoc(String key, String value) {
    ObjectNode doc = NODES.objectNode();
    doc.put(ID, stateId(key));
    doc.put(KIND, KIND_STATE);
    doc.put("meta", value);
    return doc;
  }

  @Override
  public void refresh() throws IOException {
    http.postJson(
        "/" + SolrCollection.enc(collection) + "/update?wt=json&softCommit=true&waitSearcher=true",
        "{}");
  }

  @FunctionalInterface
  private interface UpdateBody {
    void write(JsonGenerator json) throws IOException;
  }

  /**
   * One update request: Solr's JSON update format repeats "add" and "delete" keys in one object,
   * applied in order. Safe to resend to another node: ids are fixed and deletes come first.
   */
  private void update(UpdateBody body, String params) throws IOException {
    var text = new StringWriter();
    try (JsonGenerator json = SolrHttp.JSON.getFactory().createGenerator(text)) {
      json.setCodec(SolrHttp.JSON);
      json.writeStartObject();
      body.write(json);
      json.writeEndObject();
    }
    http.postJson(
        "/" + SolrCollection.enc(collection) + "/update?wt=json" + params, text.toString());
  }

  private static void add(JsonGenerator json, ObjectNode doc) throws IOException {
    json.writeFieldName("add");
    json.writeStartObject();
    json.writeObjectField("doc", doc);
    json.writeEndObject();
  }

  private static void deleteFile(JsonGenerator json, String docKey) throws IOException {
    json.writeFieldName("delete");
    json.writeStartObject();
    json.writeStringField("query", "{!term f=" + DOC_KEY + " v=" + quoted(docKey) + "}");
    json.writeEndObject();
  }

  /** A local-params value in single quotes, with Solr's backslash escapes. */
  private static String quoted(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** The routing prefix of a file's documents: a hash, since a docKey may hold '!'. */
  static String route(String docKey) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(docKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static ObjectNode chunkDoc(RegistryEntry entry, ChunkRecord chunk) {
    ObjectNode doc = NODES.objectNode();
    String key = entry.docKey();
    doc.put(ID, route(key) + "!c" + chunk.ordinal());
    doc.put(KIND, KIND_CHUNK);
    doc.put(DOC_KEY, key);
    doc.put(SOURCE, entry.source());
    doc.put(PATH, entry.path());
    doc.put(ITEM_ID, entry.id());
    entry.link().ifPresent(link -> doc.put(LINK, link.toString()));
    doc.put(EXTENSION, extension(entry.path()));
    doc.put(ORDINAL, chunk.ordinal());
    doc.put(TEXT, chunk.text());
    if (!chunk.headingPath().isEmpty()) {
      doc.put(HEADING, chunk.headingPath());
    }
    if (chunk.page() > 0) {
      doc.put(PAGE, chunk.page());
    }
    doc.put(TEXT_HASH, chunk.textHash());
    ArrayNode vector = doc.putArray(VECTOR);
    for (float v : chunk.vector()) {
      vector.add(v);
    }
    return doc;
  }

  private static ObjectNode registryDoc(RegistryEntry entry) {
    ObjectNode doc = NODES.objectNode();
    String key = entry.docKey();
    doc.put(ID, route(key) + "!d");
    doc.put(KIND, KIND_DOCUMENT);
    doc.put(DOC_KEY, key);
    doc.put(SOURCE, entry.source());
    doc.put(PATH, entry.path());
    doc.put(ITEM_ID, entry.id());
    doc.put(EXTENSION, extension(entry.path()));
    doc.put(SIZE, entry.size());
    doc.put(VERSION_FIELD, entry.version());
    entry.contentHint().ifPresent(hint -> doc.put(CONTENT_HINT, hint));
    entry.link().ifPresent(link -> doc.put(LINK, link.toString()));
    doc.put(CONTENT_HASH, entry.contentHash());
    doc.put(STATUS, entry.status().name().toLowerCase(Locale.ROOT));
    entry.error().ifPresent(e -> doc.put(ERROR, e));
    doc.put(CHUNKS, entry.chunks());
    doc.put(MEDIA_TYPE, entry.mediaType());
    doc.put(TITLE, entry.title());
    doc.put(TRUNCATED, entry.truncated() ? 1 : 0);
    doc.put(PARSE_MILLIS, entry.parseMillis());
    doc.put(EMBED_MILLIS, entry.embedMillis());
    doc.put(INDEXED_AT, entry.indexedAtMillis());
    return doc;
  }

  static RegistryEntry registryEntry(JsonNode doc) {
    String path = doc.path(PATH).asText();
    return new RegistryEntry(
        doc.path(SOURCE).asText(),
        doc.path(ITEM_ID).asText(path),
        path,
        doc.path(VERSION_FIELD).asText(),
        doc.path(SIZE).asLong(),
        text(doc, CONTENT_HINT),
        text(doc, LINK).map(URI::create),
        doc.path(CONTENT_HASH).asText(),
        RegistryEntry.Status.valueOf(doc.path(STATUS).asText().toUpperCase(Locale.ROOT)),
        text(doc, ERROR),
        doc.path(CHUNKS).asInt(),
        doc.path(MEDIA_TYPE).asText(""),
        doc.path(TITLE).asText(""),
        doc.path(TRUNCATED).asInt() == 1,
        doc.path(PARSE_MILLIS).asLong(),
        doc.path(EMBED_MILLIS).asLong(),
        doc.path(INDEXED_AT).asLong());
  }

  private static Optional<String> text(JsonNode doc, String field) {
    JsonNode v = doc.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }

  /** As the local index: the lower-cased extension of the file name, or "". */
  static String extension(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  // ---- reads

  /** Runs a JSON request on the collection; returns the response's docs. */
  JsonNode query(ObjectNode request) throws IOException {
    return http.postJson("/" + SolrCollection.enc(collection) + "/query", SolrQueries.json(request))
        .path("response");
  }

  /**
   * One cheap read that reaches a live replica of the collection (no rows): fails with {@link
   * SolrUnavailable} when no node answers. Readiness asks it; {@link #lastCommit} may be cached.
   */
  public void ping() throws IOException {
    query(SolrQueries.request(term(ID, COMMIT_ID), null, 0, ID));
  }

  @Override
  public Optional<CommitInfo> lastCommit() throws IOException {
    CommitInfo known = ownLastCommit;
    if (known != null) {
      return Optional.of(known);
    }
    JsonNode docs = query(SolrQueries.request(term(ID, COMMIT_ID), null, 1, "meta")).path("docs");
    if (docs.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> data =
        SolrHttp.JSON.readValue(
            docs.get(0).path("meta").asText(),
            new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
    long generation = Long.parseLong(data.getOrDefault("solr.generation", "1"));
    return Optional.of(CommitInfo.from(generation, data));
  }

  @Override
  public Counts counts() throws IOException {
    ObjectNode request = SolrQueries.request(NODES.textNode("*:*"), null, 0, ID);
    ObjectNode facet = request.putObject("facet");
    facet.putObject("kinds").put("type", "terms").put("field", KIND).put("limit", -1);
    facet.putObject("statuses").put("type", "terms").put("field", STATUS).put("limit", -1);
    JsonNode facets =
        http.postJson("/" + SolrCollection.enc(collection) + "/query", SolrQueries.json(request))
            .path("facets");
    Map<String, Long> kinds = buckets(facets.path("kinds"));
    Map<String, Long> statuses = buckets(facets.path("statuses"));
    return new Counts(
        statuses.getOrDefault("ok", 0L),
        kinds.getOrDefault(KIND_CHUNK, 0L),
        statuses.getOrDefault("failed", 0L),
        statuses.getOrDefault("skipped", 0L));
  }

  private static Map<String, Long> buckets(JsonNode facet) {
    var result = new HashMap<String, Long>();
    for (JsonNode b : facet.path("buckets")) {
      result.put(b.path("val").asText(), b.path("count").asLong());
    }
    return result;
  }

  /**
   * The index bytes of every replica of the collection, as the nodes' metrics report them: a
   * collection with two replicas takes twice its data.
   */
  @Override
  public long sizeOnDisk() throws IOException {
    JsonNode live = http.get("/admin/collections?action=CLUSTERSTATUS&wt=json");
    long total = 0;
    for (JsonNode node : live.path("cluster").path("live_nodes")) {
      String name = node.asText(); // host:port_solr
      int underscore = name.lastIndexOf('_');
      String base =
          "http://" + name.substring(0, underscore) + "/" + name.substring(underscore + 1);
      var one = new SolrHttp(List.of(URI.create(base)), Duration.ofSeconds(10));
      JsonNode metrics =
          one.get("/admin/metrics?wt=json&group=core&prefix=INDEX.sizeInBytes").path("metrics");
      var fields = metrics.fields();
      while (fields.hasNext()) {
        var core = fields.next();
        if (core.getKey().startsWith("solr.core." + collection + ".")) {
          total += core.getValue().path("INDEX.sizeInBytes").asLong();
        }
      }
    }
    return total;
  }

  @Override
  public List<ChunkText> chunkTexts(String docKey, int limit) throws IOException {
    ObjectNode request =
        SolrQueries.request(
            term(DOC_KEY, docKey),
            NODES.arrayNode().add(term(KIND, KIND_CHUNK)),
            Math.max(1, limit),
            String.join(",", ORDINAL, TEXT, HEADING, PAGE));
    request.put("sort", ORDINAL + " asc");
    var result = new ArrayList<ChunkText>();
    for (JsonNode doc : query(request).path("docs")) {
      result.add(
          new ChunkText(
              doc.path(ORDINAL).asInt(),
              doc.path(TEXT).asText(),
              doc.path(HEADING).asText(""),
              doc.path(PAGE).asInt(0)));
    }
    return result;
  }

  /** A file's chunks with their vectors, by ordinal; null when a vector is missing. */
  private List<ChunkRecord> storedChunks(String docKey) throws IOException {
    ObjectNode request =
        SolrQueries.request(
            term(DOC_KEY, docKey),
            NODES.arrayNode().add(term(KIND, KIND_CHUNK)),
            100_000,
            String.join(",", ORDINAL, TEXT, HEADING, PAGE, TEXT_HASH, VECTOR));
    var result = new ArrayList<ChunkRecord>();
    for (JsonNode doc : query(request).path("docs")) {
      float[] vector = vector(doc.path(VECTOR));
      if (vector == null) {
        return null;
      }
      result.add(
          new ChunkRecord(
              doc.path(ORDINAL).asInt(),
              doc.path(TEXT).asText(),
              doc.path(HEADING).asText(""),
              doc.path(PAGE).asInt(0),
              doc.path(TEXT_HASH).asText(),
              vector));
    }
    result.sort(Comparator.comparingInt(ChunkRecord::ordinal));
    return result;
  }

  static float[] vector(JsonNode array) {
    if (!array.isArray() || array.isEmpty()) {
      return null;
    }
    float[] v = new float[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) array.get(i).asDouble();
    }
    return v;
  }

  @Override
  public Map<String, RegistryEntry> registry(String source) throws IOException {
    var result = new HashMap<String, RegistryEntry>();
    forEachRegistryEntry(term(SOURCE, source), e -> result.put(e.id(), e));
    return result;
  }

  @Override
  public Optional<RegistryEntry> registryEntryAt(String source, String path) throws IOException {
    ArrayNode filters = NODES.arrayNode().add(term(KIND, KIND_DOCUMENT)).add(term(SOURCE, source));
    JsonNode docs =
        query(SolrQueries.request(term(PATH, path), filters, 1, REGISTRY_FIELDS)).path("docs");
    return docs.isEmpty() ? Optional.empty() : Optional.of(registryEntry(docs.get(0)));
  }

  @Override
  public List<RegistryEntry> registryEntries(Predicate<RegistryEntry> filter) throws IOException {
    var result = new ArrayList<RegistryEntry>();
    forEachRegistryEntry(
        term(KIND, KIND_DOCUMENT),
        e -> {
          if (filter.test(e)) {
            result.add(e);
          }
        });
    result.sort(Comparator.comparing(RegistryEntry::source).thenComparing(RegistryEntry::path));
    return result;
  }

  @Override
  public List<RegistryEntry> registryEntries(RegistryEntry.Status status, int limit)
      throws IOException {
    ArrayNode filters = NODES.arrayNode().add(term(KIND, KIND_DOCUMENT));
    ObjectNode request =
        SolrQueries.request(
            term(STATUS, status.name().toLowerCase(Locale.ROOT)),
            filters,
            Math.max(1, limit),
            REGISTRY_FIELDS);
    var result = new ArrayList<RegistryEntry>();
    for (JsonNode doc : query(request).path("docs")) {
      result.add(registryEntry(doc));
    }
    result.sort(Comparator.comparing(RegistryEntry::source).thenComparing(RegistryEntry::path));
    return result;
  }

  /** Every registry entry matching {@code query}, a page at a time (Solr's cursorMark). */
  private void forEachRegistryEntry(ObjectNode query, Consumer<RegistryEntry> sink)
      throws IOException {
    String cursor = "*";
    while (true) {
      ObjectNode request =
          SolrQueries.request(
              query, NODES.arrayNode().add(term(KIND, KIND_DOCUMENT)), PAGE_ROWS, REGISTRY_FIELDS);
      request.put("sort", ID + " asc");
      request.putObject("params").put("cursorMark", cursor);
      JsonNode response =
          http.postJson("/" + SolrCollection.enc(collection) + "/query", SolrQueries.json(request));
      for (JsonNode doc : response.path("response").path("docs")) {
        sink.accept(registryEntry(doc));
      }
      String nextCursor = response.path("nextCursorMark").asText(cursor);
      if (nextCursor.equals(cursor)) {
        return;
      }
      cursor = nextCursor;
    }
  }

  // ---- vector reuse

  /**
   * Solr cannot hold a point-in-time view, so a pin keeps the vectors of every file deleted or
   * replaced while it is open (read just before the change), and looks in the collection for the
   * rest.
   */
  @Override
  public StoredVectorLookup pinVectors() throws IOException {
    Map<String, float[]> kept = new ConcurrentHashMap<>();
    pins.add(kept);
    return new StoredVectorLookup() {
      @Override
      public Optional<float[]> byTextHash(String textHash) throws IOException {
        float[] v = kept.get(textHash);
        return v != null ? Optional.of(v) : stored(textHash);
      }

      @Override
      public void close() {
        pins.remove(kept);
      }
    };
  }

  private void keepForPins(String docKey) throws IOException {
    if (pins.isEmpty()) {
      return;
    }
    List<ChunkRecord> chunks = storedChunks(docKey);
    if (chunks == null) {
      return;
    }
    for (Map<String, float[]> kept : pins) {
      for (ChunkRecord c : chunks) {
        kept.putIfAbsent(c.textHash(), c.vector());
      }
    }
  }

  private Optional<float[]> stored(String textHash) throws IOException {
    JsonNode docs =
        query(SolrQueries.request(term(TEXT_HASH, textHash), null, 1, VECTOR)).path("docs");
    return docs.isEmpty()
        ? Optional.empty()
        : Optional.ofNullable(vector(docs.get(0).path(VECTOR)));
  }

  @Override
  public void onCommit(Consumer<CommitInfo> listener) {
    listeners.add(listener);
  }
}
