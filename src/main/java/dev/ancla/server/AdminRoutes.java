package dev.ancla.server;

import dev.ancla.index.ChunkIndex;
import dev.ancla.index.RegistryEntry;
import dev.ancla.runtime.Follower;
import dev.ancla.runtime.JobRunner;
import dev.ancla.runtime.SnapshotScheduler;
import dev.ancla.runtime.WriterRequests;
import dev.ancla.snapshot.Manifest;
import dev.ancla.snapshot.WriterLease;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Admin operations: start a sync, list documents, show one. {@link Auth} guards every one. */
final class AdminRoutes {
  static final int MAX_CHUNKS_SHOWN = 1_000;
  private static final String LIST_EXAMPLE = "/api/documents?status=failed&limit=100";

  private final ServerState state;

  private final String from = WriterLease.newHolderId(); // names this instance to the writer

  AdminRoutes(ServerState state) {
    this.state = state;
  }

  /** 202 with the new job; 409 with the running one when a job runs already. */
  void sync(Context ctx) {
    Params.allowOnly(ctx, Set.of(), "POST /api/sync");
    var open = state.require();
    if (open.follower().isPresent()) {
      forward(open.follower().get(), "sync", false, ctx);
      return;
    }
    submit(() -> open.jobs().submitSync(), ctx);
  }

  /**
   * On a follower (decision 16): the request goes to the writer through the store, and the answer
   * says so: 202 with {@code forwarded: true}, the request and the writer's id.
   */
  private void forward(Follower follower, String kind, boolean force, Context ctx) {
    WriterRequests.Request request;
    try {
      request = follower.askWriter(kind, force, from);
    } catch (IOException e) {
      throw ApiError.badGateway(
          "this instance follows the writer and could not pass the "
              + kind
              + " on through the store: "
              + e.getMessage());
    }
    var body = new LinkedHashMap<String, Object>();
    body.put("forwarded", true);
    body.put("request", Map.of("id", request.id(), "kind", kind, "at", request.at()));
    String writer = follower.status().writer().map(w -> w.holder()).orElse("(the next writer)");
    body.put("writer", writer);
    body.put(
        "message",
        "this instance follows; the "
            + kind
            + " runs on the writer "
            + writer
            + ", which picks requests up within ANCLA_FOLLOW_SECONDS (a job running there goes"
            + " first). Follow it on /api/status: follow.writerJob");
    ctx.status(202).json(body);
  }

  /**
   * {@code POST /api/reindex[?force=true]}: re-embeds every chunk with the configured model in the
   * background and swaps the result in at the end; 202 with the job. 409 when the index already has
   * the configured model's vectors (unless forced), is empty, or a job runs.
   */
  void reindex(Context ctx) throws Exception {
    String example = "POST /api/reindex?force=true";
    Params.allowOnly(ctx, Set.of("force"), example);
    boolean force =
        Params.choice(ctx, "force", Set.of("true", "false"), example)
            .orElse("false")
            .equals("true");
    var open = state.require();
    if (open.follower().isPresent()) {
      forward(open.follower().get(), "reindex", force, ctx);
      return;
    }
    var commit = open.ancla().index().lastCommit();
    if (commit.isEmpty() || commit.get().chunks() == 0) {
      throw ApiError.conflict(
          "the index has no chunks yet: nothing to reindex. POST /api/sync builds it", Map.of());
    }
    // Loads the model on first use (about a second), so that an up-to-date index gets its 409 now
    // rather than as a failed job.
    if (!force && !open.ancla().reindexer().needed()) {
      throw ApiError.conflict(
          "the index is already embedded with the configured model ("
              + commit.get().modelName()
              + "); nothing to reindex. Change the model (ANCLA_MODEL_DIR or ANCLA_EMBED_URL)"
              + " and restart, or re-embed anyway with "
              + example,
          Map.of("model", commit.get().modelName()));
    }
    submit(() -> open.jobs().submitReindex(force), ctx);
  }

  private static void submit(java.util.function.Supplier<JobRunner.Job> start, Context ctx) {
    try {
      var job = start.get();
      ctx.status(202).json(Map.of("job", JobView.running(job)));
    } catch (JobRunner.Busy busy) {
      throw ApiError.conflict(
          "a job is already running ("
              + busy.running().id()
              + "); one runs at a time. Follow it"
              + " on /api/events or /api/status and try again when it is done",
          Map.of("job", JobView.running(busy.running())));
    } catch (JobRunner.Stopped stopped) {
      throw ApiError.unavailable("Ancla is shutting down; no new jobs start");
    }
  }

  /**
   * {@code POST /api/snapshots}: 202 with the new snapshot job; 409 while one runs or after the
   * lease is lost.
   */
  void snapshotNow(Context ctx) {
    Params.allowOnly(ctx, Set.of(), "POST /api/snapshots");
    var open = state.require();
    if (open.follower().isPresent()) {
      forward(open.follower().get(), "snapshot", false, ctx);
      return;
    }
    var snapshots = snapshots(open);
    if (snapshots.lost()) {
      throw ApiError.conflict(
          "this instance lost the snapshot lease to another Ancla and no longer publishes; snapshot"
              + " from the instance that holds it",
          Map.of("lease", StatusRoutes.lease(snapshots)));
    }
    try {
      var job = snapshots.submitNow();
      ctx.status(202).json(Map.of("job", snapshotJob(job)));
    } catch (SnapshotScheduler.Busy busy) {
      throw ApiError.conflict(
          "a snapshot is already running ("
              + busy.running.id()
              + "); one runs at a time. Watch"
              + " lastSnapshot on /api/status and try again when it is done",
          Map.of("job", snapshotJob(busy.running)));
    }
  }

  /** {@code GET /api/snapshots}: the manifests in the store, newest first, and the lease. */
  void snapshotList(Context ctx) throws Exception {
    Params.allowOnly(ctx, Set.of(), "GET /api/snapshots");
    var snapshots = snapshots(state.require());
    var store = snapshots.mirror().store();
    var rows = new ArrayList<Map<String, Object>>();
    Manifest.Listing listing;
    try {
      listing = Manifest.listing(store);
    } catch (IOException e) {
      // bounded by the store's timeouts; the message names the store and what to check
      throw ApiError.badGateway(e.getMessage());
    }
    for (String id : listing.ids()) {
      var row = new LinkedHashMap<String, Object>();
      row.put("id", id);
      row.put("bad", listing.bad().contains(id)); // failed verification: snapshots/<id>.bad
      try {
        Manifest m = Manifest.load(store, id);
        row.put("time", m.time());
        row.put("bytes", m.bytes());
        row.put("files", m.files().size());
        row.put("documents", m.documents());
        row.put("chunks", m.chunks());
        row.put("generation", m.generation());
      } catch (Manifest.CorruptException e) {
        row.put("error", e.getMessage());
      } catch (IOException e) {
        throw ApiError.badGateway(e.getMessage());
      }
      rows.add(row);
    }
    var body = new LinkedHashMap<String, Object>();
    body.put("store", store.describe());
    body.put("snapshots", rows);
    body.put("running", snapshots.running().map(AdminRoutes::snapshotJob).orElse(null));
    body.put("lease", StatusRoutes.lease(snapshots));
    body.put("lastVerified", snapshots.last().map(SnapshotScheduler.Last::id).orElse(null));
    body.put("integrity", StatusRoutes.integrity(snapshots));
    ctx.json(body);
  }

  private static SnapshotScheduler snapshots(ServerState.Open open) {
    return open.snapshots()
        .orElseThrow(
            () ->
                ApiError.notFound(
                    "snapshots are off: set ANCLA_SNAPSHOT_URL (e.g. s3://my-space/ancla) and restart"));
  }

  static Map<String, Object> snapshotJob(SnapshotScheduler.Job job) {
    var m = new LinkedHashMap<String, Object>();
    m.put("id", job.id());
    m.put("kind", "snapshot");
    m.put("state", "running");
    m.put("reason", job.reason());
    m.put("startedAt", job.startedAt().toString());
    return m;
  }

  /**
   * {@code GET /api/documents?status=&source=&limit=&offset=}: registry entries, by source and
   * path.
   */
  void list(Context ctx) throws Exception {
    Params.allowOnly(ctx, Set.of("status", "source", "limit", "offset"), LIST_EXAMPLE);
    Optional<String> status =
        Params.choice(ctx, "status", Set.of("ok", "failed", "skipped"), LIST_EXAMPLE);
    Optional<String> source = Params.optional(ctx, "source", 200, "/api/documents?source=samples");
    int limit = Params.integer(ctx, "limit", 1, 1_000, 100, LIST_EXAMPLE);
    int offset =
        Params.integer(
            ctx, "offset", 0, Integer.MAX_VALUE, 0, "/api/documents?offset=100&limit=100");
    var open = state.require();
    List<RegistryEntry> entries =
        open.ancla()
            .index()
            .registryEntries(
                e ->
                    status
                            .map(s -> e.status().name().toLowerCase(Locale.ROOT).equals(s))
                            .orElse(true)
                        && source.map(s -> e.source().equals(s)).orElse(true));
    var body = new LinkedHashMap<String, Object>();
    body.put("total", entries.size());
    body.put("offset", offset);
    body.put("limit", limit);
    body.put(
        "documents", entries.stream().skip(offset).limit(limit).map(AdminRoutes::entry).toList());
    ctx.json(body);
  }

  /** {@code GET /api/documents/{source}/<path>}: one registry entry, its error and its chunks. */
  void one(Context ctx) throws Exception {
    Params.allowOnly(ctx, Set.of(), "/api/documents/samples/guia.md");
    String source = ctx.pathParam("source");
    String path = ctx.pathParam("path");
    var open = state.require();
    ChunkIndex store = open.ancla().index();
    RegistryEntry entry =
        store.registryEntries(e -> e.source().equals(source) && e.path().equals(path)).stream()
            .findFirst()
            .orElseThrow(
                () ->
                    ApiError.notFound(
                        "no document '"
                            + Params.abbreviate(path)
                            + "' in source '"
                            + Params.abbreviate(source)
                            + "'; list them with /api/documents"));
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
    m.put("id", e.id());
    m.put("path", e.path());
    m.put("link", e.link().map(Object::toString).orElse(null));
    m.put("status", e.status().name().toLowerCase(Locale.ROOT));
    m.put("error", e.error().orElse(null));
    m.put("chunks", e.chunks());
    m.put("mediaType", e.mediaType());
    m.put("size", e.size());
    m.put("version", e.version());
    m.put("indexedAt", Instant.ofEpochMilli(e.indexedAtMillis()).toString());
    return m;
  }

  private static List<Map<String, Object>> chunks(ChunkIndex store, String docKey)
      throws Exception {
    var result = new ArrayList<Map<String, Object>>();
    for (ChunkIndex.ChunkText chunk : store.chunkTexts(docKey, MAX_CHUNKS_SHOWN)) {
      var m = new LinkedHashMap<String, Object>();
      m.put("chunk", chunk.ordinal());
      m.put("heading", chunk.headingPath());
      m.put("page", chunk.page());
      m.put("text", chunk.text());
      result.add(m);
    }
    return result;
  }
}
