package dev.ancla.server;

import dev.ancla.index.IndexSchema;
import dev.ancla.index.IndexStore;
import dev.ancla.index.RegistryEntry;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;

/** Admin operations: start a sync, list documents, show one. {@link Auth} guards every one. */
final class AdminRoutes {
  static final int MAX_CHUNKS_SHOWN = 1_000;
  private static final String LIST_EXAMPLE = "/api/documents?status=failed&limit=100";

  private final ServerState state;

  AdminRoutes(ServerState state) {
    this.state = state;
  }

  /** 202 with the new job; 409 with the running one when a job runs already. */
  void sync(Context ctx) {
    Params.allowOnly(ctx, Set.of(), "POST /api/sync");
    var open = state.require();
    try {
      var job = open.jobs().submitSync();
      ctx.status(202).json(Map.of("job", JobView.running(job)));
    } catch (JobRunner.Busy busy) {
      throw ApiError.conflict(
          "a job is already running (" + busy.running().id() + "); one runs at a time. Follow it"
              + " on /api/events or /api/status and try again when it is done",
          Map.of("job", JobView.running(busy.running())));
    } catch (JobRunner.Stopped stopped) {
      throw ApiError.unavailable("Ancla is shutting down; no new jobs start");
    }
  }

  void notYet(Context ctx) {
    throw ApiError.notImplemented(
        ctx.method() + " " + ctx.path() + " is not available yet in this version of Ancla");
  }

  /** {@code GET /api/documents?status=&source=&limit=&offset=}: registry entries, by source and path. */
  void list(Context ctx) throws Exception {
    Params.allowOnly(ctx, Set.of("status", "source", "limit", "offset"), LIST_EXAMPLE);
    Optional<String> status = Params.choice(ctx, "status", Set.of("ok", "failed", "skipped"), LIST_EXAMPLE);
    Optional<String> source = Params.optional(ctx, "source", 200, "/api/documents?source=samples");
    int limit = Params.integer(ctx, "limit", 1, 1_000, 100, LIST_EXAMPLE);
    int offset = Params.integer(ctx, "offset", 0, Integer.MAX_VALUE, 0, "/api/documents?offset=100&limit=100");
    var open = state.require();
    List<RegistryEntry> entries =
        open.ancla()
            .store()
            .registryEntries(
                e ->
                    status.map(s -> e.status().name().toLowerCase(Locale.ROOT).equals(s)).orElse(true)
                        && source.map(s -> e.source().equals(s)).orElse(true));
    var body = new LinkedHashMap<String, Object>();
    body.put("total", entries.size());
    body.put("offset", offset);
    body.put("limit", limit);
    body.put(
        "documents",
        entries.stream().skip(offset).limit(limit).map(AdminRoutes::entry).toList());
    ctx.json(body);
  }

  /** {@code GET /api/documents/{source}/<path>}: one registry entry, its error and its chunks. */
  void one(Context ctx) throws Exception {
    Params.allowOnly(ctx, Set.of(), "/api/documents/samples/guia.md");
    String source = ctx.pathParam("source");
    String path = ctx.pathParam("path");
    var open = state.require();
    IndexStore store = open.ancla().store();
    RegistryEntry entry =
        store.registryEntries(e -> e.source().equals(source) && e.path().equals(path)).stream()
            .findFirst()
            .orElseThrow(
                () ->
                    ApiError.notFound(
                        "no document '" + Params.abbreviate(path) + "' in source '"
                            + Params.abbreviate(source) + "'; list them with /api/documents"));
    var body = entry(entry);
    body.put("contentHash", entry.contentHash());
    body.put("title", entry.title());
    body.put("truncated", entry.truncated());
    body.put("parseMillis", entry.parseMillis());
    body.put("embedMillis", entry.embedMillis());
    body.put("chunkList", chunks(store, entry.docKey()));
    ctx.json(body);
  }

  private static LinkedHashMap<String, Object> entry(RegistryEntry e) {
    var m = new LinkedHashMap<String, Object>();
    m.put("source", e.source());
    m.put("path", e.path());
    m.put("status", e.status().name().toLowerCase(Locale.ROOT));
    m.put("error", e.error().orElse(null));
    m.put("chunks", e.chunks());
    m.put("mediaType", e.mediaType());
    m.put("size", e.size());
    m.put("modified", Instant.ofEpochMilli(e.modifiedMillis()).toString());
    m.put("indexedAt", Instant.ofEpochMilli(e.indexedAtMillis()).toString());
    return m;
  }

  private static List<Map<String, Object>> chunks(IndexStore store, String docKey) throws Exception {
    return store.search(
        searcher -> {
          var query = IndexStore.chunksOnly(new TermQuery(new Term(IndexSchema.DOC_KEY, docKey)));
          var stored = searcher.storedFields();
          var result = new ArrayList<Map<String, Object>>();
          for (ScoreDoc hit : searcher.search(query, MAX_CHUNKS_SHOWN).scoreDocs) {
            result.add(chunk(stored.document(hit.doc)));
          }
          result.sort(Comparator.comparingInt(c -> (Integer) c.get("chunk")));
          return result;
        });
  }

  private static Map<String, Object> chunk(Document doc) {
    var m = new LinkedHashMap<String, Object>();
    var ordinal = doc.getField(IndexSchema.ORDINAL);
    var page = doc.getField(IndexSchema.PAGE);
    m.put("chunk", ordinal == null ? 0 : ordinal.numericValue().intValue());
    m.put("heading", Optional.ofNullable(doc.get(IndexSchema.HEADING)).orElse(""));
    m.put("page", page == null ? 0 : page.numericValue().intValue());
    m.put("text", doc.get(IndexSchema.TEXT));
    return m;
  }
}
