package dev.ancla.index;

import static dev.ancla.index.IndexSchema.*;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KeepOnlyLastCommitDeletionPolicy;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * The one Lucene index: chunks, the document registry and commit data (ARCHITECTURE.md decision 1).
 * Opened either for writing (one process at a time, guarded by {@link DataDirLock} and Lucene's own
 * write lock) or read-only (any number, beside a writer).
 *
 * <p>Contract: {@link #write} replaces all of a file's Lucene documents in one atomic block; {@link
 * #commit} makes everything written before it durable, with the given commit data, and is the only
 * point that does. Counts in the commit data are exact: writes and commits exclude each other.
 */
public final class IndexStore implements Closeable, ChunkIndex {
  private final List<java.util.function.Consumer<CommitInfo>> commitListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private volatile Directory directory; // replaced only by switchTo (read-only stores)
  private final Optional<Analyzer> analyzer; // present when writable: to reopen the writer
  // Replaced together, under this, only when a rebuild is abandoned (see abandonRebuild).
  private volatile Optional<IndexWriter> writer;
  private volatile Optional<SnapshotDeletionPolicy> snapshots;
  private volatile SearcherManager searchers;
  private final Map<String, String> pendingState = new HashMap<>(); // guarded by this; see putState
  private volatile CommitInfo ownLastCommit; // writers only: see lastCommit()
  private IndexRebuild rebuilding; // guarded by this
  private volatile String writeError; // the last write that failed for want of space, until fixed

  private IndexStore(
      Directory directory,
      Optional<Analyzer> analyzer,
      Optional<IndexWriter> writer,
      Optional<SnapshotDeletionPolicy> snapshots,
      SearcherManager searchers) {
    this.directory = directory;
    this.analyzer = analyzer;
    this.writer = writer;
    this.snapshots = snapshots;
    this.searchers = searchers;
  }

  /** True when {@code dir} holds a Lucene commit. */
  public static boolean exists(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    // listing the files needs no memory mapping, whose set-up a one-shot command would pay for
    try (Directory directory = Reads.ONE_SHOT.open(dir)) {
      return DirectoryReader.indexExists(directory);
    }
  }

  /** Opens the index at {@code dir} for writing, creating it when there is none. */
  public static IndexStore openForWriting(Path dir, Analyzer analyzer) throws IOException {
    return openForWriting(dir, analyzer, d -> d);
  }

  /**
   * As {@link #openForWriting(Path, Analyzer)}, with the file-system directory wrapped by {@code
   * wrap} (a {@link org.apache.lucene.store.FilterDirectory}: tests put faults on the disk there).
   */
  public static IndexStore openForWriting(
      Path dir, Analyzer analyzer, java.util.function.UnaryOperator<Directory> wrap)
      throws IOException {
    Files.createDirectories(dir);
    Directory directory = wrap.apply(FSDirectory.open(dir));
    try {
      var snapshots = new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy());
      var writer = newWriter(directory, analyzer, snapshots);
      var searchers = new SearcherManager(writer, FilterCachingSearchers.INSTANCE);
      return new IndexStore(
          directory, Optional.of(analyzer), Optional.of(writer), Optional.of(snapshots), searchers);
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  private static IndexWriter newWriter(
      Directory directory, Analyzer analyzer, SnapshotDeletionPolicy snapshots) throws IOException {
    var config =
        new IndexWriterConfig(analyzer)
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
            .setIndexDeletionPolicy(snapshots)
            .setCodec(codec())
            .setRAMBufferSizeMB(64)
            .setCommitOnClose(false);
    return new IndexWriter(directory, config);
  }

  /** Opens the newest commit at {@code dir} for searching only, memory-mapped. */
  public static IndexStore openReadOnly(Path dir) throws IOException {
    return openReadOnly(dir, Reads.MAPPED);
  }

  /** Opens the newest commit at {@code dir} for searching only. */
  public static IndexStore openReadOnly(Path dir, Reads reads) throws IOException {
    if (!exists(dir)) {
      throw new java.nio.file.NoSuchFileException(
          dir.toString(), null, "no index here yet; run `ancla init` to build one");
    }
    Directory directory = reads.open(dir);
    try {
      return new IndexStore(
          directory,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          new SearcherManager(directory, FilterCachingSearchers.INSTANCE));
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  /**
   * Lucene 10.4's codec with 8-bit scalar-quantized HNSW for vectors: a quarter of the memory per
   * vector at query time, raw floats kept for exact rescoring and for reuse. Stored fields use the
   * fast mode (LZ4), not DEFLATE: every sync reads every file's registry entry, and DEFLATE
   * inflates a whole 48 KB block per entry read. A re-sync of 13,457 unchanged files took 1.7 s of
   * CPU with DEFLATE and 0.35 s with LZ4, for 8% more bytes on disk (docs/BENCHMARKS.md).
   */
  static Lucene104Codec codec() {
    KnnVectorsFormat vectors = new Lucene104HnswScalarQuantizedVectorsFormat();
    return new Lucene104Codec(Lucene104Codec.Mode.BEST_SPEED) {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return vectors;
      }
    };
  }

  public boolean writable() {
    return writer.isPresent();
  }

  /**
   * The newest commit's data, or empty for an index that was never committed. A writer is the only
   * process that commits (the data-dir lock), so it remembers its own last commit instead of
   * reading it from disk on every search; a read-only store reads the disk, since a writer beside
   * it may have committed since.
   */
  public Optional<CommitInfo> lastCommit() throws IOException {
    CommitInfo known = ownLastCommit;
    if (known != null) {
      return Optional.of(known);
    }
    Optional<CommitInfo> onDisk = readLastCommit();
    if (writer.isPresent() && onDisk.isPresent()) {
      ownLastCommit = onDisk.get();
    }
    return onDisk;
  }

  private Optional<CommitInfo> readLastCommit() throws IOException {
    if (!DirectoryReader.indexExists(directory)) {
      return Optional.empty();
    }
    SegmentInfos infos = SegmentInfos.readLatestCommit(directory);
    return Optional.of(CommitInfo.from(infos.getGeneration(), infos.getUserData()));
  }

  /** Replaces every Lucene document of {@code entry}'s file with the entry and its chunks. */
  public synchronized void write(RegistryEntry entry, List<ChunkRecord> chunks) throws IOException {
    requireNotRebuilding();
    try {
      writeBlock(entry, chunks);
    } catch (IOException | AlreadyClosedException e) {
      throw explain(e);
    }
  }

  /** {@link #write} without the rebuild check: for {@link IndexRebuild} itself. */
  synchronized void writeBlock(RegistryEntry entry, List<ChunkRecord> chunks) throws IOException {
    var block = new ArrayList<Document>(chunks.size() + 1);
    for (ChunkRecord chunk : chunks) {
      block.add(Documents.chunk(entry, chunk));
    }
    block.add(Documents.registry(entry));
    requireWriter().updateDocuments(new Term(DOC_KEY, entry.docKey()), block);
  }

  /** Rewrites only the registry entry, e.g. a new modification time with the same bytes. */
  public synchronized void updateRegistry(RegistryEntry entry) throws IOException {
    requireNotRebuilding();
    try {
      requireWriter()
          .updateDocument(
              new Term(ID, Documents.registryId(entry.docKey())), Documents.registry(entry));
    } catch (IOException | AlreadyClosedException e) {
      throw explain(e);
    }
  }

  /** Removes a file and its chunks. */
  public synchronized void delete(String docKey) throws IOException {
    requireNotRebuilding();
    try {
      requireWriter().deleteDocuments(new Term(DOC_KEY, docKey));
    } catch (IOException | AlreadyClosedException e) {
      throw explain(e);
    }
  }

  /**
   * Makes everything written so far durable, with {@code userData} plus exact counts and the schema
   * version (the index's own, see {@link IndexSchema#VERSION}). Returns what was committed.
   */
  public synchronized CommitInfo commit(Map<String, String> userData) throws IOException {
    requireNotRebuilding();
    // a sync rewrites only what changed, so the files it did not touch keep the fields of the
    // index's own schema version: only a rebuild raises it
    int schema = lastCommit().map(CommitInfo::schemaVersion).orElse(IndexSchema.VERSION);
    try {
      CommitInfo info = commitWriter(userData, schema);
      writeError = null;
      return info;
    } catch (IOException | AlreadyClosedException e) {
      throw explain(e);
    }
  }

  /** Why the index cannot take writes now: where, how much space is free, and how much it needs. */
  public record WriteFailure(Path path, long freeBytes, long neededBytes, String error) {
    /** For logs and the CLI: names the path, the free space and the space needed. */
    public String describe() {
      return "the index at "
          + path
          + " cannot be written: "
          + error
          + " ("
          + mib(freeBytes)
          + " free there; free at least "
          + mib(neededBytes)
          + ")";
    }

    private static String mib(long bytes) {
      return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
  }

  /**
   * Present while the index cannot take writes: its writer was closed by a tragic error (Lucene
   * closes it after e.g. "No space left on device" during a flush), or the last write or commit
   * failed for want of space. Searches go on from the last commit meanwhile. {@link #recover}
   * clears it.
   */
  public Optional<WriteFailure> writeFailure() {
    Throwable tragic = writer.map(IndexWriter::getTragicException).orElse(null);
    String error = writeError;
    if (tragic == null && error == null) {
      return Optional.empty();
    }
    String text = error != null ? error : String.valueOf(tragic.getMessage());
    return Optional.of(new WriteFailure(indexPath(), freeSpace(), spaceNeeded(), text));
  }

  /**
   * Makes the index writable again after a {@link #writeFailure}: a writer closed by a tragic error
   * is reopened on the last commit (what the failed writes had not committed is gone; the next sync
   * does it again), with a new searcher manager and deletion policy. Call it once space is back.
   * Returns whether anything was reopened.
   */
  public synchronized boolean recover() throws IOException {
    IndexWriter w = requireWriter();
    writeError = null;
    if (w.isOpen() || w.getTragicException() == null) {
      return false;
    }
    rebuilding = null; // a rebuild's writer is this one: its work is gone with it
    var policy = new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy());
    IndexWriter reopened = newWriter(directory, analyzer.orElseThrow(), policy);
    SearcherManager old = searchers;
    writer = Optional.of(reopened);
    snapshots = Optional.of(policy);
    searchers = new SearcherManager(reopened, FilterCachingSearchers.INSTANCE);
    old.close();
    return true;
  }

  /**
   * Free space a write needs before Ancla tries again: 64 MiB, or half the index when that is more
   * (a flush writes new segments, and a merge rewrites some beside the old ones until it commits).
   */
  public long spaceNeeded() {
    long index = 0;
    try {
      index = sizeOnDisk();
    } catch (IOException | RuntimeException e) {
      // no commit to measure: the floor
    }
    return Math.max(64L << 20, index / 2);
  }

  private long freeSpace() {
    try {
      return usableSpace();
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * A failed write or commit, explained: for want of space (or the writer closed by it), an
   * IOException naming the index's path, the free space and the space needed; else the failure
   * itself.
   */
  private IOException explain(Exception e) {
    Throwable tragic = writer.map(IndexWriter::getTragicException).orElse(null);
    boolean full = noSpace(e) || (tragic != null && noSpace(tragic));
    if (!full && tragic == null) {
      if (e instanceof RuntimeException r) {
        throw r;
      }
      return (IOException) e;
    }
    if (full) {
      writeError = "No space left on device";
    }
    WriteFailure failure =
        writeFailure()
            .orElse(
                new WriteFailure(
                    indexPath(), freeSpace(), spaceNeeded(), String.valueOf(e.getMessage())));
    return new IOException(
        failure.describe()
            + (tragic != null ? "; Lucene closed the index writer, the last commit is intact" : "")
            + ". `ancla serve` reopens it by itself once there is space; a command can be run again",
        e);
  }

  private static boolean noSpace(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
        return true;
      }
    }
    return false;
  }

  private Path indexPath() {
    Directory inner = org.apache.lucene.store.FilterDirectory.unwrap(directory);
    return inner instanceof FSDirectory fs ? fs.getDirectory() : Path.of(inner.toString());
  }

  private CommitInfo commitWriter(Map<String, String> userData, int schema) throws IOException {
    IndexWriter w = requireWriter();
    // written only now, so no commit before this one (a checkpoint) can hold a state early
    for (var e : pendingState.entrySet()) {
      w.updateDocument(
          new Term(ID, Documents.stateId(e.getKey())), Documents.state(e.getKey(), e.getValue()));
    }
    searchers.maybeRefreshBlocking();
    Counts counts = counts();
    var data = new HashMap<>(userData);
    data.put("schema", String.valueOf(schema));
    data.put("documents", String.valueOf(counts.documents()));
    data.put("chunks", String.valueOf(counts.chunks()));
    data.put("failed", String.valueOf(counts.failed()));
    data.put("skipped", String.valueOf(counts.skipped()));
    w.setLiveCommitData(data.entrySet());
    w.commit();
    pendingState.clear();
    CommitInfo info = readLastCommit().orElseThrow();
    ownLastCommit = info;
    commitListeners.forEach(l -> l.accept(info));
    return info;
  }

  /**
   * Calls {@code listener} after each commit, on the committing thread (so it must return at once);
   * the server schedules its debounced snapshot from here.
   */
  public void onCommit(java.util.function.Consumer<CommitInfo> listener) {
    commitListeners.add(listener);
  }

  @Override
  public synchronized void putState(String key, String value) throws IOException {
    requireWriter();
    requireNotRebuilding();
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
    return search(s -> storedState(s, key));
  }

  private static Optional<String> storedState(IndexSearcher searcher, String key)
      throws IOException {
    var hits = searcher.search(new TermQuery(new Term(ID, Documents.stateId(key))), 1).scoreDocs;
    if (hits.length == 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(searcher.storedFields().document(hits[0].doc).get(STATE_VALUE));
  }

  /** Every state in {@code searcher}'s view, by key. */
  private static Map<String, String> storedStates(IndexSearcher searcher) throws IOException {
    var query = new TermQuery(new Term(KIND, KIND_STATE));
    var result = new HashMap<String, String>();
    StoredFields stored = searcher.storedFields();
    for (var hit : searcher.search(query, Math.max(1, searcher.count(query))).scoreDocs) {
      Document doc = stored.document(hit.doc);
      result.put(doc.get(ID).substring(Documents.stateId("").length()), doc.get(STATE_VALUE));
    }
    return result;
  }

  /**
   * Makes recent writes visible to searches (not durable: see {@link #commit}). Refused during a
   * rebuild: searches must keep seeing the old generation until the rebuild commits.
   */
  public synchronized void refresh() throws IOException {
    requireNotRebuilding();
    searchers.maybeRefreshBlocking();
  }

  /** Runs {@code work} on a point-in-time searcher. */
  public <T> T search(SearchWork<T> work) throws IOException {
    SearcherManager manager = searchers;
    IndexSearcher searcher = acquire(manager);
    try {
      return work.apply(searcher);
    } finally {
      manager.release(searcher);
    }
  }

  private IndexSearcher acquire(SearcherManager manager) throws IOException {
    try {
      return manager.acquire();
    } catch (AlreadyClosedException e) {
      // an abandoned rebuild replaced the manager between our read of the field and acquire
      SearcherManager now = searchers;
      if (now == manager) {
        throw e;
      }
      return acquire(now);
    }
  }

  /**
   * Read-only stores (a follower): from now on searches read the newest commit in {@code dir}, a
   * directory that nobody changes; a search sees the old commit or the new one, never a mix, and
   * those in flight finish on the old one. Once no searcher uses the old commit any more, its
   * directory closes and {@code retired} runs (it may delete the old files).
   */
  public synchronized void switchTo(Path dir, Reads reads, Runnable retired) throws IOException {
    if (writer.isPresent()) {
      throw new IllegalStateException("switchTo is for read-only stores; a writer commits instead");
    }
    Directory next = reads.open(dir);
    SearcherManager nextSearchers;
    try {
      nextSearchers = new SearcherManager(next, FilterCachingSearchers.INSTANCE);
    } catch (IOException | RuntimeException e) {
      next.close();
      throw e;
    }
    Directory oldDirectory = directory;
    SearcherManager old = searchers;
    IndexSearcher last = old.acquire();
    directory = next;
    searchers = nextSearchers;
    // the old reader closes when its last searcher is released: the manager's, then each search's
    last.getIndexReader()
        .getReaderCacheHelper()
        .addClosedListener(
            key -> {
              try {
                oldDirectory.close();
              } finally {
                retired.run();
              }
            });
    old.release(last);
    old.close();
  }

  /** A function over a searcher that may throw IOException. */
  @FunctionalInterface
  public interface SearchWork<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  /**
   * Opens a searcher that the caller must release with {@link #release}; for long reads. The
   * release goes through a plain reference count, so it stays valid when an abandoned rebuild has
   * replaced the searcher manager meanwhile.
   */
  public IndexSearcher acquire() throws IOException {
    return acquire(searchers);
  }

  public void release(IndexSearcher searcher) throws IOException {
    searcher.getIndexReader().decRef();
  }

  /**
   * Starts replacing every document of the index (a new model re-embeds all chunks: ARCHITECTURE.md
   * decision 3). Until {@link IndexRebuild#commit} searches, counts and {@link #lastCommit} see the
   * old generation, and every other change is refused; {@link IndexRebuild#close} without a commit
   * puts the old generation back as the writer's state. Needs a writer with nothing uncommitted.
   */
  public synchronized IndexRebuild beginRebuild() throws IOException {
    IndexWriter w = requireWriter();
    requireNotRebuilding();
    if (w.hasUncommittedChanges()) {
      throw new IllegalStateException(
          "the index has uncommitted changes; a rebuild starts from a committed state");
    }
    if (lastCommit().isEmpty()) {
      throw new IllegalStateException("the index has never been committed: nothing to rebuild");
    }
    searchers.maybeRefreshBlocking(); // the pinned view must hold everything committed
    IndexSearcher old = acquire(searchers);
    try {
      // states are no file's: the rebuild carries them into the new generation as they are
      storedStates(old).forEach(pendingState::putIfAbsent);
      w.deleteAll();
      rebuilding = new IndexRebuild(this, w, old);
      return rebuilding;
    } catch (IOException | RuntimeException e) {
      release(old);
      throw e;
    }
  }

  /** The rebuild's commit: the new generation replaces the old one in one Lucene commit. */
  synchronized CommitInfo finishRebuild(IndexRebuild rebuild, Map<String, String> userData)
      throws IOException {
    if (rebuilding != rebuild) {
      throw new IllegalStateException("this rebuild is no longer the index's current one");
    }
    CommitInfo info = commitWriter(userData, IndexSchema.VERSION); // every file was rewritten
    rebuilding = null;
    return info;
  }

  /**
   * Drops the rebuild's work: Lucene can only discard uncommitted changes by rolling the writer
   * back, which closes it, so a new writer and searcher manager are opened on the last commit.
   */
  synchronized void abandonRebuild(IndexRebuild rebuild) throws IOException {
    if (rebuilding != rebuild) {
      return;
    }
    rebuilding = null;
    requireWriter().rollback();
    var policy = new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy());
    IndexWriter reopened = newWriter(directory, analyzer.orElseThrow(), policy);
    SearcherManager old = searchers;
    writer = Optional.of(reopened);
    snapshots = Optional.of(policy);
    searchers = new SearcherManager(reopened, FilterCachingSearchers.INSTANCE);
    old.close();
  }

  private void requireNotRebuilding() {
    if (rebuilding != null) {
      throw new IllegalStateException(
          "a reindex is rebuilding the index; other changes wait until it ends");
    }
  }

  @Override
  public Counts counts() throws IOException {
    return search(
        s -> {
          return new Counts(
              s.count(new TermQuery(new Term(STATUS, "ok"))),
              s.count(new TermQuery(new Term(KIND, KIND_CHUNK))),
              s.count(new TermQuery(new Term(STATUS, "failed"))),
              s.count(new TermQuery(new Term(STATUS, "skipped"))));
        });
  }

  /** Every registry entry of one source, by item id. */
  public Map<String, RegistryEntry> registry(String source) throws IOException {
    var result = new HashMap<String, RegistryEntry>();
    forEachRegistryEntry(e -> e.source().equals(source), e -> result.put(e.id(), e));
    return result;
  }

  /** The registry entry of one item of {@code source} shown at {@code path}, if any. */
  public Optional<RegistryEntry> registryEntryAt(String source, String path) throws IOException {
    return search(
        s -> {
          var query =
              new BooleanQuery.Builder()
                  .add(new TermQuery(new Term(KIND, KIND_DOCUMENT)), Occur.FILTER)
                  .add(new TermQuery(new Term(SOURCE, source)), Occur.FILTER)
                  .add(new TermQuery(new Term(PATH, path)), Occur.FILTER)
                  .build();
          var hits = s.search(query, 1).scoreDocs;
          return hits.length == 0
              ? Optional.<RegistryEntry>empty()
              : Optional.of(Documents.registryEntry(s.storedFields().document(hits[0].doc)));
        });
  }

  /**
   * Writes {@code moved} (an entry with a new display path or link, same content) with its item's
   * chunks as they are stored, texts and vectors kept: a rename costs no parsing or embedding.
   * Reads the chunks as of the last {@link #refresh}; returns false, writing nothing, when they are
   * not all there (the caller then indexes the item anew).
   */
  public synchronized boolean relocate(RegistryEntry moved) throws IOException {
    requireNotRebuilding();
    List<ChunkRecord> chunks =
        search(
            s -> {
              var query =
                  new BooleanQuery.Builder()
                      .add(new TermQuery(new Term(DOC_KEY, moved.docKey())), Occur.FILTER)
                      .add(new TermQuery(new Term(KIND, KIND_CHUNK)), Occur.FILTER)
                      .build();
              int count = s.count(query);
              var result = new ArrayList<ChunkRecord>(count);
              if (count == 0) {
                return result;
              }
              var hits = s.search(query, count).scoreDocs;
              int[] ids = new int[hits.length];
              for (int i = 0; i < hits.length; i++) {
                ids[i] = hits[i].doc;
              }
              float[][] vectors = StoredVectors.byDocIds(s.getIndexReader(), ids);
              StoredFields stored = s.storedFields();
              for (int i = 0; i < hits.length; i++) {
                if (vectors[i] == null) {
                  return null;
                }
                Document doc = stored.document(hits[i].doc);
                var page = doc.getField(PAGE);
                String text = doc.get(TEXT);
                result.add(
                    new ChunkRecord(
                        doc.getField(ORDINAL).numericValue().intValue(),
                        text,
                        Optional.ofNullable(doc.get(HEADING)).orElse(""),
                        page == null ? 0 : page.numericValue().intValue(),
                        textHash(text),
                        vectors[i]));
              }
              result.sort(java.util.Comparator.comparingInt(ChunkRecord::ordinal));
              return result;
            });
    if (chunks == null || chunks.size() != moved.chunks()) {
      return false;
    }
    writeBlock(moved, chunks);
    return true;
  }

  /** SHA-256 of the text's UTF-8 bytes, hex: the chunk text hash the sync computes. */
  private static String textHash(String text) {
    try {
      var digest = java.security.MessageDigest.getInstance("SHA-256");
      return java.util.HexFormat.of()
          .formatHex(digest.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Registry entries matching {@code filter}, sorted by source and path. */
  public List<RegistryEntry> registryEntries(Predicate<RegistryEntry> filter) throws IOException {
    var result = new ArrayList<RegistryEntry>();
    forEachRegistryEntry(filter, result::add);
    result.sort(
        java.util.Comparator.comparing(RegistryEntry::source).thenComparing(RegistryEntry::path));
    return result;
  }

  /**
   * Registry entries with {@code status}, at most {@code limit}, sorted by source and path. Found
   * through the indexed status field, so listing a few failures does not read every entry.
   */
  public List<RegistryEntry> registryEntries(RegistryEntry.Status status, int limit)
      throws IOException {
    var result = new ArrayList<RegistryEntry>();
    search(
        s -> {
          var query =
              new BooleanQuery.Builder()
                  .add(new TermQuery(new Term(KIND, KIND_DOCUMENT)), Occur.FILTER)
                  .add(
                      new TermQuery(
                          new Term(STATUS, status.name().toLowerCase(java.util.Locale.ROOT))),
                      Occur.FILTER)
                  .build();
          StoredFields stored = s.storedFields();
          for (var hit : s.search(query, Math.max(1, limit)).scoreDocs) {
            result.add(Documents.registryEntry(stored.document(hit.doc)));
          }
          return null;
        });
    result.sort(
        java.util.Comparator.comparing(RegistryEntry::source).thenComparing(RegistryEntry::path));
    return result;
  }

  private void forEachRegistryEntry(
      Predicate<RegistryEntry> filter, java.util.function.Consumer<RegistryEntry> sink)
      throws IOException {
    search(
        s -> {
          for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            var live = leaf.reader().getLiveDocs();
            StoredFields stored = leaf.reader().storedFields();
            TermsEnum terms = termsEnum(leaf, KIND);
            if (terms == null || !terms.seekExact(new BytesRef(KIND_DOCUMENT))) {
              continue;
            }
            PostingsEnum postings = terms.postings(null, PostingsEnum.NONE);
            for (int doc = postings.nextDoc();
                doc != PostingsEnum.NO_MORE_DOCS;
                doc = postings.nextDoc()) {
              if (live == null || live.get(doc)) {
                RegistryEntry entry = Documents.registryEntry(stored.document(doc));
                if (filter.test(entry)) {
                  sink.accept(entry);
                }
              }
            }
          }
          return null;
        });
  }

  static TermsEnum termsEnum(LeafReaderContext leaf, String field) throws IOException {
    var terms = leaf.reader().terms(field);
    return terms == null ? null : terms.iterator();
  }

  /** Bytes of the files of the newest commit. */
  public long sizeOnDisk() throws IOException {
    if (!DirectoryReader.indexExists(directory)) {
      return 0;
    }
    long total = 0;
    for (String file : SegmentInfos.readLatestCommit(directory).files(true)) {
      total += directory.fileLength(file);
    }
    return total;
  }

  /**
   * Bytes free for this index on its file system; a directory that knows better (one with a quota,
   * or a test's full disk) says so by implementing {@link FreeSpace}.
   */
  public long usableSpace() throws IOException {
    if (directory instanceof FreeSpace own) {
      return own.usableSpace();
    }
    return Files.getFileStore(indexPath()).getUsableSpace();
  }

  /** A {@link Directory} that knows how much it may still write. */
  public interface FreeSpace {
    long usableSpace() throws IOException;
  }

  /** The deletion policy that holds commits for snapshots; present when writable. */
  public Optional<SnapshotDeletionPolicy> snapshotPolicy() {
    return snapshots;
  }

  /** Lists the commits still on disk (normally one). */
  public List<IndexCommit> commits() throws IOException {
    return DirectoryReader.listCommits(directory);
  }

  Directory directory() {
    return directory;
  }

  @Override
  public List<ChunkText> chunkTexts(String docKey, int limit) throws IOException {
    return search(
        searcher -> {
          var query = chunksOnly(new TermQuery(new Term(DOC_KEY, docKey)));
          StoredFields stored = searcher.storedFields();
          var result = new ArrayList<ChunkText>();
          for (var hit : searcher.search(query, Math.max(1, limit)).scoreDocs) {
            Document doc = stored.document(hit.doc);
            var ordinal = doc.getField(ORDINAL);
            var page = doc.getField(PAGE);
            result.add(
                new ChunkText(
                    ordinal == null ? 0 : ordinal.numericValue().intValue(),
                    doc.get(TEXT),
                    Optional.ofNullable(doc.get(HEADING)).orElse(""),
                    page == null ? 0 : page.numericValue().intValue()));
          }
          result.sort(java.util.Comparator.comparingInt(ChunkText::ordinal));
          return result;
        });
  }

  /** Looks in a searcher held from now on, then in whatever searches see when asked. */
  @Override
  public StoredVectorLookup pinVectors() throws IOException {
    IndexSearcher atStart = acquire();
    return new StoredVectorLookup() {
      @Override
      public Optional<float[]> byTextHash(String textHash) throws IOException {
        Optional<float[]> old = StoredVectors.byTextHash(atStart.getIndexReader(), textHash);
        return old.isPresent()
            ? old
            : search(s -> StoredVectors.byTextHash(s.getIndexReader(), textHash));
      }

      @Override
      public void close() throws IOException {
        release(atStart);
      }
    };
  }

  /** A query restricted to chunks. */
  public static Query chunksOnly(Query query) {
    return new BooleanQuery.Builder()
        .add(query, Occur.MUST)
        .add(new TermQuery(new Term(KIND, KIND_CHUNK)), Occur.FILTER)
        .build();
  }

  private IndexWriter requireWriter() {
    return writer.orElseThrow(
        () ->
            new IllegalStateException("index opened read-only; open it for writing to change it"));
  }

  /** Discards everything written since the last commit, then closes. Never commits by itself. */
  @Override
  public void close() throws IOException {
    try {
      searchers.close();
      if (writer.isPresent()) {
        writer.get().rollback(); // also closes the writer
      }
    } finally {
      directory.close();
    }
  }
}
