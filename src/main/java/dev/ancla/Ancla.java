package dev.ancla;

import dev.ancla.answer.Answerer;
import dev.ancla.answer.ExtractiveAnswerer;
import dev.ancla.answer.LlmAnswerer;
import dev.ancla.answer.LlmQueryRewriter;
import dev.ancla.answer.QueryRewriter;
import dev.ancla.config.Config;
import dev.ancla.embed.Embedder;
import dev.ancla.embed.LazyEmbedder;
import dev.ancla.index.Analyzers;
import dev.ancla.index.BrokenIndex;
import dev.ancla.index.ChunkIndex;
import dev.ancla.index.ChunkSearch;
import dev.ancla.index.CommitInfo;
import dev.ancla.index.DataDirLock;
import dev.ancla.index.IndexCheck;
import dev.ancla.index.IndexStore;
import dev.ancla.index.LocalOnly;
import dev.ancla.index.LuceneChunkSearch;
import dev.ancla.index.Reads;
import dev.ancla.index.solr.SolrChunkIndex;
import dev.ancla.index.solr.SolrChunkSearch;
import dev.ancla.index.solr.SolrCollection;
import dev.ancla.index.solr.SolrUnavailable;
import dev.ancla.ingest.parse.DocumentParser;
import dev.ancla.ingest.parse.LazyDocumentParser;
import dev.ancla.openai.OpenAiClient;
import dev.ancla.query.HybridRetriever;
import dev.ancla.query.RetrievalSettings;
import dev.ancla.snapshot.BlobStore;
import dev.ancla.snapshot.BlobStores;
import dev.ancla.snapshot.Restorer;
import dev.ancla.snapshot.Retention;
import dev.ancla.snapshot.SnapshotMirror;
import dev.ancla.snapshot.WriterLease;
import dev.ancla.source.Source;
import dev.ancla.source.Sources;
import dev.ancla.sync.CrashLedger;
import dev.ancla.sync.Reindexer;
import dev.ancla.sync.SyncService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.store.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the only class that names every implementation. Builds the object graph
 * from a {@link Config}; {@link #close()} stops the parts in reverse order.
 */
public final class Ancla implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Ancla.class);

  /** Ancla's own version, from the jar manifest; "dev" when run from classes. */
  public static final String VERSION =
      Optional.ofNullable(Ancla.class.getPackage().getImplementationVersion()).orElse("dev");

  private final Config config;
  private final Optional<DataDirLock> lock;
  private final ChunkIndex index;
  private final Optional<IndexStore> local; // empty when the index is in Solr (ANCLA_INDEX_URL)
  private final ChunkSearch search;
  private final LazyEmbedder embedder;
  private final Analyzer analyzer;
  private final Optional<SyncService> sync;
  private final Optional<Reindexer> reindexer;
  private final BootOutcome boot;
  private final Optional<BlobStore> blobs;
  private final Optional<SnapshotMirror> mirror;

  /** Chat clients by retry policy (answers, rewrites); guarded by this, made on first use. */
  private final Map<OpenAiClient.Retry, OpenAiClient> chats = new HashMap<>();

  private volatile DefaultRetriever defaultRetriever; // see retriever()
  private final HybridRetriever withoutModel;

  private Ancla(
      Config config,
      Optional<DataDirLock> lock,
      ChunkIndex index,
      Optional<IndexStore> local,
      ChunkSearch search,
      LazyEmbedder embedder,
      Analyzer analyzer,
      Optional<SyncService> sync,
      Optional<Reindexer> reindexer,
      BootOutcome boot,
      Optional<BlobStore> blobs,
      Optional<SnapshotMirror> mirror) {
    this.config = config;
    this.lock = lock;
    this.index = index;
    this.local = local;
    this.search = search;
    this.embedder = embedder;
    this.analyzer = analyzer;
    this.sync = sync;
    this.reindexer = reindexer;
    this.boot = boot;
    this.blobs = blobs;
    this.mirror = mirror;
    this.withoutModel = new HybridRetriever(search, Optional.empty(), RetrievalSettings.DEFAULTS);
  }

  /**
   * The parts that differ between production and tests. Both suppliers are called only when the
   * part is needed: the model on first use, the parser when a sync first parses a file (Tika's
   * parser takes 0.3-0.5 s to create, which a search, a status or a server's start must not pay).
   */
  /**
   * @param knownFingerprint the configured model's fingerprint when it is known without loading the
   *     model; it must be the fingerprint {@code embedder}'s model has
   * @param indexDirectory wraps the index's file-system directory when opened for writing: the
   *     identity in production; tests put disk faults there
   */
  public record Parts(
      Supplier<Embedder> embedder,
      Supplier<DocumentParser> parser,
      Clock clock,
      Optional<String> knownFingerprint,
      UnaryOperator<Directory> indexDirectory) {
    public Parts(
        Supplier<Embedder> embedder,
        Supplier<DocumentParser> parser,
        Clock clock,
        Optional<String> knownFingerprint) {
      this(embedder, parser, clock, knownFingerprint, d -> d);
    }

    public Parts(Supplier<Embedder> embedder, Supplier<DocumentParser> parser, Clock clock) {
      this(embedder, parser, clock, Optional.empty());
    }
  }

  /**
   * Locks the data directory and opens the index for writing. When there is no index, or it fails
   * {@link IndexCheck} (the broken one is moved aside), and a snapshot store is configured,
   * restores the newest snapshot first (fail closed: a store that cannot be read, or holds only
   * broken snapshots, is an error, not an empty start); else creates an empty index. Fails with
   * {@link DataDirLock.HeldException} when another process holds the directory.
   */
  public static Ancla openForWriting(Config config, Parts parts) throws IOException {
    if (config.solr().isPresent()) {
      return openSolr(config, parts, true);
    }
    long start = System.nanoTime();
    DataDirLock lock = DataDirLock.acquire(config.dataDir());
    Optional<BlobStore> blobs = Optional.empty();
    try {
      blobs = config.snapshots().map(s -> BlobStores.open(s.target()));
      Optional<BootOutcome> restored =
          restoreIfMissingOrInvalid(config, blobs, parts.clock(), start);
      boolean existed = IndexStore.exists(config.indexDir());
      Analyzer analyzer = Analyzers.forLanguage(config.language(), config.stemmer());
      IndexStore store =
          IndexStore.openForWriting(config.indexDir(), analyzer, parts.indexDirectory());
      var embedder = new LazyEmbedder(parts.embedder(), parts.knownFingerprint());
      var sync = syncService(config, parts, store, embedder);
      var reindexer =
          new Reindexer(
              store,
              embedder,
              config.embedThreads(),
              config.checkpointChunks(),
              VERSION,
              parts.clock(),
              System::nanoTime);
      BootOutcome boot =
          restored.isPresent() ? restored.get() : outcome(store, existed, config, start);
      log.info(boot.describe());
      Optional<SnapshotMirror> mirror = blobs.map(b -> mirror(config, parts, b, store));
      return new Ancla(
          config,
          Optional.of(lock),
          store,
          Optional.of(store),
          new LuceneChunkSearch(store, analyzer),
          embedder,
          analyzer,
          Optional.of(sync),
          Optional.of(reindexer),
          boot,
          blobs,
          mirror);
    } catch (IOException | RuntimeException e) {
      try (lock;
          var _ = blobs.orElse(null)) {
        throw e;
      }
    }
  }

  private static SyncService syncService(
      Config config, Parts parts, ChunkIndex index, LazyEmbedder embedder) throws IOException {
    List<Source> sources = Sources.open(config);
    var settings =
        new SyncService.Settings(
            config.chunkTokens(),
            config.chunkOverlapTokens(),
            config.checkpointChunks(),
            config.checkpointInterval(),
            config.parseThreads(),
            config.embedThreads(),
            config.language().name().toLowerCase(java.util.Locale.ROOT)
                + (config.stemmer() == Config.Stemmer.HUNSPELL ? "+hunspell" : ""),
            VERSION,
            config.fetchThreads(),
            config.limits().maxFileBytes());
    return new SyncService(
        sources,
        index,
        new LazyDocumentParser(parts.parser()),
        embedder,
        settings,
        parts.clock(),
        System::nanoTime,
        CrashLedger.at(config.dataDir().resolve("in-flight.tsv")));
  }

  /** How long one request to Solr may take before the next node is tried. */
  private static final java.time.Duration SOLR_TIMEOUT = java.time.Duration.ofSeconds(30);

  /**
   * The index in a SolrCloud collection (ANCLA_INDEX_URL): created with Ancla's configset when
   * missing. Nothing is restored or moved aside (Solr keeps its own replicas); for writing, the
   * data directory is still locked, as it holds the crash ledger and job state.
   */
  private static Ancla openSolr(Config config, Parts parts, boolean writing) throws IOException {
    long start = System.nanoTime();
    var url = config.solr().orElseThrow();
    Optional<DataDirLock> lock =
        writing ? Optional.of(DataDirLock.acquire(config.dataDir())) : Optional.empty();
    var embedder = new LazyEmbedder(parts.embedder(), parts.knownFingerprint());
    try {
      Analyzer analyzer = Analyzers.forLanguage(config.language(), config.stemmer());
      var spec = new SolrCollection.Spec(dimension(config, embedder), config.language());
      SolrChunkIndex index = SolrChunkIndex.open(url, spec, SOLR_TIMEOUT);
      Optional<SyncService> sync =
          writing ? Optional.of(syncService(config, parts, index, embedder)) : Optional.empty();
      long millis = (System.nanoTime() - start) / 1_000_000;
      Optional<CommitInfo> commit = index.lastCommit();
      BootOutcome boot =
          commit.isEmpty()
              ? new BootOutcome.Created("the Solr collection " + url.collection(), millis)
              : commit.get().complete()
                  ? new BootOutcome.Opened(commit.get().documents(), commit.get().chunks(), millis)
                  : new BootOutcome.Resuming(
                      commit.get().documents(), commit.get().chunks(), millis);
      log.info("{} (Solr collection {} at {})", boot.describe(), url.collection(), url.nodes());
      return new Ancla(
          config,
          lock,
          index,
          Optional.empty(),
          new SolrChunkSearch(index, analyzer),
          embedder,
          analyzer,
          sync,
          Optional.empty(),
          boot,
          Optional.empty(),
          Optional.empty());
    } catch (IOException | RuntimeException e) {
      try (var _ = lock.orElse(null)) {
        embedder.close();
        throw e;
      }
    }
  }

  /** The collection's vector dimension: known from the configuration, else from the model. */
  private static int dimension(Config config, LazyEmbedder embedder) {
    if (config.embedApi().isPresent()) {
      var declared = config.embedApi().get().dimension();
      return declared.isPresent() ? declared.getAsInt() : embedder.info().dimension();
    }
    return config.model().dimension();
  }

  private static SnapshotMirror mirror(
      Config config, Parts parts, BlobStore blobs, IndexStore store) {
    var spec = config.snapshots().orElseThrow();
    return new SnapshotMirror(
        blobs,
        store,
        config.indexDir(),
        parts.clock(),
        spec.threads(),
        new Retention(spec.keep(), spec.gcGrace(), parts.clock()),
        VERSION,
        new WriterLease(blobs, holderId(config), spec.leaseTtl(), parts.clock()));
  }

  private static String holderId(Config config) {
    try {
      return WriterLease.holderIdOf(config.dataDir());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(
          "cannot keep this instance's id in " + config.dataDir() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Decision 7's boot order, up to opening: a valid local index is used as it is (an unfinished one
   * resumes); a missing one comes back from the newest good snapshot; an invalid one (see {@link
   * IndexCheck}) is moved aside, never deleted, and the newest good snapshot restored. An invalid
   * index with no store to restore from is an error that names the directory and the way out, and
   * nothing is touched. Empty when the caller should open or create the index itself.
   */
  private static Optional<BootOutcome> restoreIfMissingOrInvalid(
      Config config, Optional<BlobStore> blobs, Clock clock, long start) throws IOException {
    Path indexDir = config.indexDir();
    IndexCheck.Result check = IndexCheck.check(indexDir);
    return switch (check) {
      case IndexCheck.Result.Valid _ -> Optional.empty();
      case IndexCheck.Result.Missing _ -> {
        if (blobs.isEmpty()) {
          yield Optional.empty();
        }
        log.info(
            "no local index at {}; looking for snapshots in {}", indexDir, blobs.get().describe());
        yield restore(config, blobs.get(), "no local index", start);
      }
      case IndexCheck.Result.Invalid(var reason) -> {
        if (blobs.isEmpty()) {
          throw new IndexCheck.InvalidIndexException(invalidWithoutStore(indexDir, reason));
        }
        BrokenIndex.MovedAside aside = BrokenIndex.moveAside(indexDir, clock.instant());
        log.warn(
            "the local index at {} is invalid ({}); moved it to {} and restoring the newest snapshot from {}{}",
            indexDir,
            reason,
            aside.to(),
            blobs.get().describe(),
            aside.deletedOlder().isEmpty()
                ? ""
                : "; deleted the older broken copy "
                    + aside.deletedOlder()
                    + " (only the newest broken copy is kept: the disk is small)");
        String why = "the local index was invalid (" + reason + ") and was moved to " + aside.to();
        try {
          Optional<BootOutcome> restored = restore(config, blobs.get(), why, start);
          if (restored.isEmpty()) {
            log.warn(
                "no snapshots in {}: starting empty; the broken index stays at {}",
                blobs.get().describe(),
                aside.to());
          }
          yield restored;
        } catch (IOException e) {
          throw new IOException(
              e.getMessage() + "\nThe invalid local index was kept at " + aside.to() + ".", e);
        }
      }
    };
  }

  private static Optional<BootOutcome> restore(
      Config config, BlobStore blobs, String why, long start) throws IOException {
    var restorer = new Restorer(blobs, config.snapshots().orElseThrow().threads());
    return restorer
        .restoreNewest(config.indexDir())
        .map(
            r ->
                new BootOutcome.Restored(
                    r.manifest().id(),
                    r.bytes(),
                    (System.nanoTime() - start) / 1_000_000,
                    r.salvaged().map(s -> why + "; " + s).orElse(why)));
  }

  static String invalidWithoutStore(Path indexDir, String reason) {
    return "the index at "
        + indexDir
        + " cannot be opened: "
        + reason
        + "\nNo snapshot store is configured (ANCLA_SNAPSHOT_URL), so Ancla leaves it as it is. Either"
        + "\n- move it aside and restore a snapshot: mv "
        + indexDir
        + " "
        + indexDir
        + ".broken && ANCLA_SNAPSHOT_URL=s3://bucket/prefix ancla snapshot restore, or"
        + "\n- move it aside and start again to rebuild it from the sources: mv "
        + indexDir
        + " "
        + indexDir
        + ".broken";
  }

  /**
   * Opens the newest commit for searching, beside any writer. When there is no index, no writer
   * holds the directory and a snapshot store is configured, restores the newest snapshot first. An
   * invalid index is not repaired here (a one-shot search must stay fast, and a writer may be
   * running): it fails with what to do. Memory-mapped; see {@link #openReadOnly(Config, Parts,
   * Reads)}.
   */
  public static Ancla openReadOnly(Config config, Parts parts) throws IOException {
    return openReadOnly(config, parts, Reads.MAPPED);
  }

  /** As {@link #openReadOnly(Config, Parts)}, reading the index files as {@code reads} says. */
  public static Ancla openReadOnly(Config config, Parts parts, Reads reads) throws IOException {
    if (config.solr().isPresent()) {
      return openSolr(config, parts, false);
    }
    long start = System.nanoTime();
    Optional<BootOutcome> restored = Optional.empty();
    if (config.snapshots().isPresent() && !IndexStore.exists(config.indexDir())) {
      try (DataDirLock _ = DataDirLock.acquire(config.dataDir());
          BlobStore blobs = BlobStores.open(config.snapshots().get().target())) {
        restored = restoreIfMissingOrInvalid(config, Optional.of(blobs), parts.clock(), start);
      } catch (DataDirLock.HeldException e) {
        // a writer holds the directory and builds or restores the index itself: do not race it
        log.info("no index yet, and {}", e.getMessage());
      }
    }
    IndexStore store = openReadOnly(config, reads);
    BootOutcome boot = restored.isPresent() ? restored.get() : outcome(store, true, config, start);
    log.info(boot.describe());
    return searchOnly(config, parts, store, boot);
  }

  /**
   * A follower's searches (ARCHITECTURE.md decision 16) over {@code store}, a read-only store that
   * the follower switches from snapshot to snapshot; no lock, no sync, no snapshots of its own.
   * Closing it closes the store.
   */
  public static Ancla following(Config config, Parts parts, IndexStore store, BootOutcome boot) {
    return searchOnly(config, parts, store, boot);
  }

  /**
   * Searches over a read-only local store: no lock, no sync, no snapshots. Queries are analysed as
   * the index was (language and stemmer).
   */
  private static Ancla searchOnly(Config config, Parts parts, IndexStore store, BootOutcome boot) {
    Analyzer analyzer = Analyzers.forLanguage(config.language(), config.stemmer());
    return new Ancla(
        config,
        Optional.empty(),
        store,
        Optional.of(store),
        new LuceneChunkSearch(store, analyzer),
        new LazyEmbedder(parts.embedder(), parts.knownFingerprint()),
        analyzer,
        Optional.empty(),
        Optional.empty(),
        boot,
        Optional.empty(),
        Optional.empty());
  }

  /** The full {@link IndexCheck} runs only when the plain open fails, to say why and what to do. */
  private static IndexStore openReadOnly(Config config, Reads reads) throws IOException {
    try {
      return IndexStore.openReadOnly(config.indexDir(), reads);
    } catch (IOException e) {
      if (IndexCheck.check(config.indexDir()) instanceof IndexCheck.Result.Invalid(var reason)) {
        throw new IndexCheck.InvalidIndexException(
            config.snapshots().isPresent()
                ? "the index at "
                    + config.indexDir()
                    + " cannot be opened: "
                    + reason
                    + "\nRun `ancla init` (or start `ancla serve`): it moves the invalid index aside and restores"
                    + " the newest snapshot."
                : invalidWithoutStore(config.indexDir(), reason));
      }
      throw e;
    }
  }

  private static BootOutcome outcome(IndexStore store, boolean existed, Config config, long start)
      throws IOException {
    long millis = (System.nanoTime() - start) / 1_000_000;
    Optional<CommitInfo> commit = store.lastCommit();
    if (!existed || commit.isEmpty()) {
      return new BootOutcome.Created(config.indexDir().toString(), millis);
    }
    CommitInfo info = commit.get();
    return info.complete()
        ? new BootOutcome.Opened(info.documents(), info.chunks(), millis)
        : new BootOutcome.Resuming(info.documents(), info.chunks(), millis);
  }

  public BootOutcome boot() {
    return boot;
  }

  public Config config() {
    return config;
  }

  /** Where chunks and registry entries are: the local Lucene index or the Solr collection. */
  public ChunkIndex index() {
    return index;
  }

  /** The local Lucene index; empty when the index is in Solr (ANCLA_INDEX_URL). */
  public Optional<IndexStore> localIndex() {
    return local;
  }

  /**
   * The local Lucene index, for what only it can do (snapshots, the disk watch, rebuilds). With
   * ANCLA_INDEX_URL set this fails with {@link LocalOnly}, saying what is not available.
   */
  public IndexStore store() {
    return local.orElseThrow(
        () ->
            new LocalOnly(
                "this works on the local index only, and ANCLA_INDEX_URL puts the index in Solr"));
  }

  /**
   * Whether the index answers: always for the local one. For Solr, the first call pings once and
   * starts a daemon thread that pings every second until {@link #close}, so readiness probes never
   * wait on a cluster that hangs; the answer is at most about a second old.
   */
  public boolean reachable() {
    if (local.isPresent() || !(index instanceof SolrChunkIndex solr)) {
      return true;
    }
    synchronized (this) {
      if (pinger == null && !closed) {
        reachable = ping(solr);
        pinger =
            Thread.ofPlatform()
                .daemon(true)
                .name("ancla-solr-ping")
                .start(
                    () -> {
                      while (!Thread.currentThread().isInterrupted()) {
                        try {
                          Thread.sleep(1000);
                        } catch (InterruptedException e) {
                          return;
                        }
                        reachable = ping(solr);
                      }
                    });
      }
    }
    return reachable;
  }

  private static boolean ping(SolrChunkIndex solr) {
    try {
      solr.ping();
      return true;
    } catch (SolrUnavailable e) {
      return false;
    } catch (IOException e) {
      return true; // a node answered, with an error: the cluster is up
    }
  }

  private volatile boolean reachable = true;
  private Thread pinger; // guarded by this; started by the first reachable()
  private boolean closed; // guarded by this

  /** The snapshot mirror: present when opened for writing with ANCLA_SNAPSHOT_URL set. */
  public Optional<SnapshotMirror> snapshots() {
    return mirror;
  }

  /** The configured sources, built when opened for writing; empty when read-only. */
  public List<Source> sources() {
    return sync.map(SyncService::sources).orElse(List.of());
  }

  public SyncService sync() {
    return sync.orElseThrow(() -> new IllegalStateException("opened read-only; cannot sync"));
  }

  /** Re-embeds the index with the configured model (a model change). */
  public Reindexer reindexer() {
    if (local.isEmpty()) {
      throw new LocalOnly(
          "re-embedding rebuilds the local index and is not available with ANCLA_INDEX_URL;"
              + " to use another model, point ANCLA_INDEX_URL at a new collection and sync");
    }
    return reindexer.orElseThrow(
        () -> new IllegalStateException("opened read-only; cannot reindex"));
  }

  /**
   * The retriever. Query vectors are used only when the configured model is the one the index was
   * built with; otherwise search falls back to BM25 and says so.
   */
  public HybridRetriever retriever() throws IOException {
    String indexed = index.lastCommit().map(CommitInfo::modelFingerprint).orElse("");
    DefaultRetriever known = defaultRetriever;
    if (known != null && known.fingerprint().equals(indexed)) {
      return known.retriever();
    }
    HybridRetriever fresh = retriever(defaultSettings(config));
    defaultRetriever = new DefaultRetriever(indexed, fresh);
    return fresh;
  }

  /**
   * The measured defaults with the configured model's vector weights: the bundled English model's,
   * or those another model declares (ANCLA_VECTOR_WEIGHTS, its folder's ancla-model.properties).
   */
  public static RetrievalSettings defaultSettings(Config config) {
    return RetrievalSettings.DEFAULTS.withVectorWeights(config.model().vectorWeights());
  }

  /**
   * A retriever for work that needs no query embedding ({@link HybridRetriever#searchByVector}, or
   * BM25): it never loads the model, which takes about a second on the first text search.
   */
  public HybridRetriever retrieverWithoutModel() {
    return withoutModel;
  }

  /**
   * The default retriever is kept while the index's model stays the same: the server asks for it on
   * every request, and making it anew would repeat the model check (and its warning) each time.
   */
  private record DefaultRetriever(String fingerprint, HybridRetriever retriever) {}

  /** The retriever tuned otherwise, e.g. to measure an alternative with {@code ancla eval}. */
  public HybridRetriever retriever(RetrievalSettings settings) throws IOException {
    Optional<CommitInfo> commit = index.lastCommit();
    String indexed = commit.map(CommitInfo::modelFingerprint).orElse("");
    Optional<Embedder> vectors = Optional.empty();
    if (!indexed.isEmpty()) {
      if (indexed.equals(embedder.info().fingerprint())) {
        vectors = Optional.of(embedder);
      } else {
        log.warn(
            "the index was built with model {} but {} is configured: searching with BM25 only",
            commit.get().modelName(),
            embedder.info().name());
      }
    }
    return new HybridRetriever(search, vectors, settings);
  }

  /**
   * Writes answers from retrieved chunks: with the chat model of ANCLA_LLM_URL when one is
   * configured, else extractive. Its chat client is made once and closed with this object.
   */
  public Answerer answerer() {
    if (config.llm().isEmpty()) {
      return new ExtractiveAnswerer(analyzer, config.language());
    }
    var spec = config.llm().get();
    return new LlmAnswerer(
        spec, chat(spec, OpenAiClient.Retry.DEFAULT), this::tokens, config.language());
  }

  /**
   * What a conversation's last message is searched with: rewritten by the chat model when one is
   * configured, else {@link QueryRewriter#HEURISTIC}.
   */
  public QueryRewriter queryRewriter() {
    if (config.llm().isEmpty()) {
      return QueryRewriter.HEURISTIC;
    }
    var spec = config.llm().get();
    return new LlmQueryRewriter(spec, chat(spec, LlmQueryRewriter.RETRY), this::tokens);
  }

  private synchronized OpenAiClient chat(Config.LlmSpec spec, OpenAiClient.Retry retry) {
    return chats.computeIfAbsent(
        retry,
        r ->
            new OpenAiClient(
                "the chat model",
                spec.baseUrl(),
                spec.apiKey(),
                "ANCLA_LLM_API_KEY",
                spec.timeout(),
                r));
  }

  /** The embedding model's count, which approximates the chat model's for prompt budgets. */
  private int tokens(String text) {
    return embedder.tokens().count(text);
  }

  /** Releases the snapshot lease (if still held, so the next writer need not wait), then closes. */
  @Override
  public void close() throws IOException {
    synchronized (this) {
      chats.values().forEach(OpenAiClient::close);
      closed = true;
      if (pinger != null) {
        pinger.interrupt();
      }
    }
    try (var _ = lock.orElse(null);
        var _ = blobs.orElse(null)) {
      for (SnapshotMirror m : mirror.stream().toList()) {
        try {
          m.lease().release();
        } catch (IOException e) {
          log.warn("could not release the snapshot lease: {}", e.getMessage());
        } finally {
          m.lease().close();
        }
      }
      try {
        if (index instanceof java.io.Closeable closeable) {
          closeable.close();
        }
      } finally {
        embedder.close();
        closeSources();
      }
    }
  }

  private void closeSources() {
    for (SyncService service : sync.stream().toList()) {
      for (Source source : service.sources()) {
        try {
          source.close();
        } catch (IOException | RuntimeException e) {
          log.warn("could not close source {}: {}", source.id(), e.toString());
        }
      }
    }
  }
}
