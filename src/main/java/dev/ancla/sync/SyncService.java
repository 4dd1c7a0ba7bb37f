package dev.ancla.sync;

import dev.ancla.embed.Embedder;
import dev.ancla.embed.ModelInfo;
import dev.ancla.index.ChunkIndex;
import dev.ancla.index.CommitInfo;
import dev.ancla.index.RegistryEntry;
import dev.ancla.ingest.chunk.Chunker;
import dev.ancla.ingest.parse.DocumentParser;
import dev.ancla.source.Source;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the index in line with the sources: deletes what is gone, indexes what is new or changed,
 * and commits at checkpoints and at the end. A sync that stops half-way (killed, cancelled) leaves
 * its last checkpoint, whose commit data says {@code building}; the next sync plans against that
 * registry and so picks up where it stopped.
 */
public final class SyncService {
  private static final Logger log = LoggerFactory.getLogger(SyncService.class);

  /** How indexing is tuned; from the config. */
  public record Settings(
      int chunkTokens,
      int chunkOverlapTokens,
      int checkpointChunks,
      Duration checkpointInterval,
      int parseThreads,
      int embedThreads,
      String analyzerLanguage,
      String version,
      int fetchThreads,
      long maxFileBytes) {}

  private final List<Source> sources;
  private final ChunkIndex store;
  private final DocumentParser parser;
  private final Embedder embedder;
  private final Settings settings;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final CrashLedger ledger;
  private volatile Pipeline running;

  public SyncService(
      List<Source> sources,
      ChunkIndex store,
      DocumentParser parser,
      Embedder embedder,
      Settings settings,
      Clock clock,
      LongSupplier nanoTime) {
    this(sources, store, parser, embedder, settings, clock, nanoTime, CrashLedger.none());
  }

  /**
   * @param ledger remembers the files in flight, so that a file that kills the process is retried
   *     once and then failed, not retried at every restart
   */
  public SyncService(
      List<Source> sources,
      ChunkIndex store,
      DocumentParser parser,
      Embedder embedder,
      Settings settings,
      Clock clock,
      LongSupplier nanoTime,
      CrashLedger ledger) {
    this.ledger = ledger;
    this.sources = List.copyOf(sources);
    this.store = store;
    this.parser = parser;
    this.embedder = embedder;
    this.settings = settings;
    this.clock = clock;
    this.nanoTime = nanoTime;
  }

  /** Asks a running sync to stop after the files in flight; it then commits what it has. */
  public void cancel() {
    Pipeline pipeline = running;
    if (pipeline != null) {
      pipeline.cancel();
    }
  }

  /**
   * Checks that every source can be read, logging each result: at start, so that a folder not
   * shared or a bad key shows in the log at once rather than at the first sync. Returns the sources
   * that failed, by id, with their messages.
   */
  public Map<String, String> checkSources() {
    var failed = new java.util.LinkedHashMap<String, String>();
    for (Source source : sources) {
      try {
        source.check();
        log.info("source {} ({} {}) is readable", source.id(), source.kind(), source.describe());
      } catch (IOException | RuntimeException e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        failed.put(source.id(), why);
        log.warn(
            "source {} ({} {}) cannot be read; syncs keep its documents until it can: {}",
            source.id(),
            source.kind(),
            source.describe(),
            why);
      }
    }
    return failed;
  }

  /** The sources this service syncs, in configuration order. */
  public List<Source> sources() {
    return sources;
  }

  public SyncReport sync(ProgressTracker progress) throws IOException {
    long start = nanoTime.getAsLong();
    SyncPlan plan = new SyncPlanner(store).plan(sources);
    for (SyncPlan.SourcePlan p : plan.sources()) {
      if (p.failure().isEmpty()) {
        log.info(
            "sync plan for {} ({}): {} listed{}, {} new, {} changed, {} deleted, {} relisted, {}"
                + " unchanged",
            p.source().id(),
            p.source().describe(),
            p.listed(),
            p.fullListing() ? "" : " (changes since the stored cursor)",
            p.added().size(),
            p.changed().size(),
            p.deleted().size(),
            p.relisted().size(),
            p.unchanged());
      }
    }
    Optional<CommitInfo> before = store.lastCommit();
    boolean wasComplete = before.map(CommitInfo::complete).orElse(false);
    var tallies = new SourceTallies();
    if (plan.isEmpty() && wasComplete && !sourceDataMoved(plan, before.get())) {
      progress.phase(Progress.Phase.DONE);
      return report(plan, tallies, 0, progress, start, true, before.get().generation());
    }
    Map<String, String> model = plan.toIndex() > 0 ? modelData(before) : keptModelData(before);
    // pinned before the deletions, so deleted and renamed files still lend their vectors
    try (var reuse = VectorReuse.forSync(store)) {
      return apply(plan, tallies, before, model, reuse, progress, start);
    }
  }

  /**
   * Whether a plan without changes still has something to commit: a new cursor, or a source whose
   * error appeared or cleared (status shows it from the commit data).
   */
  private static boolean sourceDataMoved(SyncPlan plan, CommitInfo before) {
    for (SyncPlan.SourcePlan p : plan.sources()) {
      String id = p.source().id();
      if (!Objects.equals(p.failure().orElse(null), before.raw().get(errorKey(id)))) {
        return true;
      }
      if (p.failure().isEmpty()
          && p.cursor().isPresent()
          && !p.cursor().get().equals(before.raw().get(SyncPlanner.cursorKey(id)))) {
        return true;
      }
      if (p.failure().isEmpty() && p.cursor().isPresent() && p.state().isPresent()) {
        return true; // the state kept beside the cursor is missing or differs
      }
    }
    return false;
  }

  private static String errorKey(String sourceId) {
    return "source." + sourceId + ".error";
  }

  private SyncReport apply(
      SyncPlan plan,
      SourceTallies tallies,
      Optional<CommitInfo> before,
      Map<String, String> model,
      VectorReuse reuse,
      ProgressTracker progress,
      long start)
      throws IOException {
    for (RegistryEntry gone : plan.deleted()) {
      store.delete(gone.docKey());
    }
    store.refresh(); // relocations read the chunks they carry over from a fresh view
    for (SyncPlan.Relisted relisted : plan.relisted()) {
      Pipeline.relist(relisted, store);
    }
    var items = new ArrayList<SyncPlan.Item>(plan.added());
    items.addAll(plan.changed());
    progress.planned(
        items.size(), items.stream().mapToLong(i -> Math.max(0, i.item().size())).sum());
    progress.phase(Progress.Phase.INDEXING);
    var checkpointer =
        new Checkpointer(
            store,
            settings.checkpointChunks(),
            settings.checkpointInterval(),
            nanoTime,
            () -> commitData(before, model, CommitInfo.STATE_BUILDING, plan, tallies));
    Supplier<Chunker> chunker =
        memoize(
            () ->
                new Chunker(
                    embedder.tokens(), settings.chunkTokens(), settings.chunkOverlapTokens()));
    var preparer = new Preparer(parser, chunker, clock, settings.maxFileBytes());
    var pipeline =
        new Pipeline(
            preparer,
            embedder,
            store,
            checkpointer,
            settings.fetchThreads(),
            ledger,
            settings.parseThreads(),
            settings.embedThreads(),
            tallies);
    running = pipeline;
    int started;
    try {
      started = runTriaged(ledger.triage(items), preparer, pipeline, checkpointer, progress, reuse);
    } finally {
      running = null;
    }
    boolean complete = started == items.size() && !pipeline.cancelled();
    progress.phase(Progress.Phase.COMMITTING);
    if (complete) {
      putStates(plan);
    }
    CommitInfo info =
        store.commit(
            commitData(
                before,
                model,
                complete ? CommitInfo.STATE_COMPLETE : CommitInfo.STATE_BUILDING,
                plan,
                tallies));
    ledger.committed();
    progress.phase(Progress.Phase.DONE);
    return report(
        plan, tallies, checkpointer.commits() + 1, progress, start, complete, info.generation());
  }

  /**
   * Fails the files that were in flight when two processes died, runs those in flight at one death
   * alone (each committed on its own, so a second death convicts only the file that causes it),
   * then the rest; returns how many were started.
   */
  private int runTriaged(
      CrashLedger.Triage triage,
      Preparer preparer,
      Pipeline pipeline,
      Checkpointer checkpointer,
      ProgressTracker progress,
      VectorReuse reuse)
      throws IOException {
    int started = 0;
    for (SyncPlan.Item item : triage.crashed()) {
      RegistryEntry failed = preparer.failedUnread(item, CrashLedger.REASON).entry();
      log.warn("failed {}: {}", failed.path(), CrashLedger.REASON);
      store.write(failed, List.of());
      progress.documentDone(RegistryEntry.Status.FAILED, 0, 0);
      progress.bytesDone(Math.max(0, item.item().size()));
      started++;
    }
    if (!triage.suspects().isEmpty()) {
      log.warn(
          "{} files were being indexed when the last process died; retrying them one at a time",
          triage.suspects().size());
    }
    for (SyncPlan.Item item : triage.suspects()) {
      if (pipeline.cancelled()) return started;
      started += pipeline.run(List.of(item), progress, reuse);
      checkpointer.commitNow();
      reuse.committed();
      ledger.committed();
    }
    return started + pipeline.run(triage.fresh(), progress, reuse);
  }

  private SyncReport report(
      SyncPlan plan,
      SourceTallies tallies,
      int commits,
      ProgressTracker progress,
      long start,
      boolean complete,
      long gen) {
    Progress p = progress.snapshot();
    int sameBytes =
        plan.sources().stream().mapToInt(part -> tallies.of(part.source().id()).sameBytes()).sum();
    // an item fetched and found byte-identical counts as unchanged, as a touched file always did
    var report =
        new SyncReport(
            plan.added().size(),
            plan.changed().size() - sameBytes,
            plan.deleted().size(),
            plan.unchanged() + sameBytes,
            p.failed(),
            p.skipped(),
            p.chunksEmbedded(),
            p.chunksReused(),
            Duration.ofNanos(nanoTime.getAsLong() - start),
            complete,
            gen,
            plan.sources().stream().map(part -> sourceReport(part, tallies)).toList());
    for (SourceReport failed : report.failedSources()) {
      log.warn(
          "source {} ({}) was not synced; its documents were kept: {}",
          failed.id(),
          failed.root(),
          failed.error().orElse(""));
    }
    log.info(
        "sync {}: {} new, {} changed, {} deleted, {} unchanged, {} failed, {} skipped; {} chunks embedded, {} reused; {} commits in {}",
        complete ? "done" : "stopped early",
        report.added(),
        report.changed(),
        report.deleted(),
        report.unchanged(),
        report.failed(),
        report.skipped(),
        report.chunksEmbedded(),
        report.chunksReused(),
        commits,
        String.format(java.util.Locale.ROOT, "%.2f s", report.seconds()));
    return report;
  }

  private static SourceReport sourceReport(SyncPlan.SourcePlan p, SourceTallies tallies) {
    SourceTallies.Counts c = tallies.of(p.source().id());
    return new SourceReport(
        p.source().id(),
        p.source().kind(),
        p.source().describe(),
        p.listed(),
        c.indexed(),
        p.unchanged() + c.sameBytes(),
        p.relisted().size(),
        c.skipped(),
        c.failed(),
        p.deleted().size(),
        p.failure(),
        p.fullListing());
  }

  /**
   * The model's identity for the commit data, after checking that the index's vectors come from the
   * same model: mixing vectors of two models would make every kNN result meaningless.
   */
  private Map<String, String> modelData(Optional<CommitInfo> before) {
    ModelInfo info = embedder.info();
    before
        .filter(c -> !c.modelFingerprint().isEmpty())
        .filter(c -> !c.modelFingerprint().equals(info.fingerprint()))
        .ifPresent(
            c -> {
              throw new ModelMismatchException(
                  "the index was built with model "
                      + c.modelName()
                      + " (fingerprint "
                      + c.modelFingerprint()
                      + ") but the configured model is "
                      + info.name()
                      + " (fingerprint "
                      + info.fingerprint()
                      + "); vectors of two models cannot be mixed. Re-embed the index with the"
                      + " configured model first (`ancla reindex`, or POST /api/reindex; `ancla"
                      + " serve` starts it by itself), or configure the original model again");
            });
    return Map.of(
        "model.name", info.name(),
        "model.fingerprint", info.fingerprint(),
        "model.dimension", String.valueOf(info.dimension()));
  }

  private static Map<String, String> keptModelData(Optional<CommitInfo> before) {
    var kept = new HashMap<String, String>();
    before.ifPresent(
        c -> {
          for (String key : List.of("model.name", "model.fingerprint", "model.dimension")) {
            String value = c.raw().get(key);
            if (value != null) {
              kept.put(key, value);
            }
          }
        });
    return kept;
  }

  /**
   * What sources keep beside their cursors goes into the index right before the commit that stores
   * those cursors (the same commit makes both durable, see {@link ChunkIndex#putState}); the plan
   * holds a state only when it differs from the stored one.
   */
  private void putStates(SyncPlan plan) throws IOException {
    for (SyncPlan.SourcePlan p : plan.sources()) {
      if (p.failure().isPresent() || p.cursor().isEmpty() || p.state().isEmpty()) {
        continue;
      }
      store.putState(SyncPlanner.stateKey(p.source().id()), p.state().get());
    }
  }

  /**
   * Commit data replaces the previous commit's as a whole, so keys this sync does not set (source
   * cursors of an unfinished sync) are carried over. A source's new cursor goes only into the
   * commit that completes the sync, which holds all of its changes: a checkpoint keeps the old one,
   * so a crash replays from the last committed cursor and never skips a change.
   */
  private Map<String, String> commitData(
      Optional<CommitInfo> before,
      Map<String, String> model,
      String state,
      SyncPlan plan,
      SourceTallies tallies) {
    var data = new HashMap<String, String>(before.map(CommitInfo::raw).orElse(Map.of()));
    data.putAll(model);
    data.put("state", state);
    data.put("analyzer", settings.analyzerLanguage());
    data.put("ancla.version", settings.version());
    String now = Instant.now(clock).toString();
    data.put("committed_at", now);
    if (state.equals(CommitInfo.STATE_COMPLETE)
        && plan.sources().stream().allMatch(p -> p.failure().isEmpty())) {
      // what a salvaged restore lost (snapshot.Salvage) is indexed again now
      data.keySet().removeIf(k -> k.startsWith("salvaged."));
    }
    for (SyncPlan.SourcePlan p : plan.sources()) {
      String prefix = "source." + p.source().id() + ".";
      data.put(prefix + "kind", p.source().kind());
      data.put(prefix + "root", p.source().describe());
      if (p.failure().isPresent()) {
        data.put(prefix + "error", p.failure().get());
        data.put(prefix + "error_at", now);
        continue;
      }
      data.remove(prefix + "error");
      data.remove(prefix + "error_at");
      if (state.equals(CommitInfo.STATE_COMPLETE)) {
        data.put(prefix + "synced_at", now);
        SourceReport r = sourceReport(p, tallies);
        data.put(prefix + "listed", String.valueOf(r.listed()));
        data.put(prefix + "indexed", String.valueOf(r.indexed()));
        data.put(prefix + "skipped", String.valueOf(r.skipped()));
        data.put(prefix + "failed", String.valueOf(r.failed()));
        if (p.fullListing()) {
          ListingSkips.put(data, p.source().id(), p.source().listingSkips());
        }
        if (p.cursor().isPresent()) {
          if (!p.cursor().get().equals(data.get(SyncPlanner.cursorKey(p.source().id())))) {
            data.put(prefix + "cursor_at", now);
          }
          data.put(SyncPlanner.cursorKey(p.source().id()), p.cursor().get());
        } else if (p.fullListing()) {
          data.remove(SyncPlanner.cursorKey(p.source().id()));
          data.remove(prefix + "cursor_at");
        }
      }
    }
    return data;
  }

  private static <T> Supplier<T> memoize(Supplier<T> supplier) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = supplier.get();
        }
        return value;
      }
    };
  }

  /** The configured model differs from the one the index was built with. */
  public static final class ModelMismatchException extends IllegalStateException {
    public ModelMismatchException(String message) {
      super(message);
    }
  }
}
