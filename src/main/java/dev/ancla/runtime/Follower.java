package dev.ancla.runtime;

import dev.ancla.index.IndexStore;
import dev.ancla.index.Reads;
import dev.ancla.snapshot.BlobStore;
import dev.ancla.snapshot.FollowerCopy;
import dev.ancla.snapshot.Manifest;
import dev.ancla.snapshot.WriterLease;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower (ARCHITECTURE.md decision 16): serves the newest published snapshot and follows new
 * ones, never writing to the store.
 *
 * <p>Contract: every {@code interval} it reads the lease and lists the manifests (one GET and one
 * LIST). A new manifest is made local by {@link FollowerCopy} (only missing blobs are downloaded,
 * each verified) and the store is switched to it with {@link IndexStore#switchTo}; the old commit's
 * files are deleted once no search reads them. A snapshot that fails is skipped with a WARN,
 * counted as a follow error, and not tried again (a store that does not answer is a follow error
 * too, and the next poll tries again); the last good one keeps serving. When the lease is free or
 * expired, {@code writerGone} is called (on this follower's thread) and polling pauses: the caller
 * decides whether this instance becomes the writer (then {@link #close}) or follows on ({@link
 * #resume}), still serving what it served.
 */
public final class Follower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Follower.class);

  /** The snapshot being served: its manifest id, generation and when the writer took it. */
  public record Served(String id, long generation, Instant time) {}

  /** What status shows about following. */
  public record Status(
      Optional<Served> served,
      Optional<String> newest,
      Optional<WriterLease.Record> writer,
      Optional<WriterRequests.WriterState> writerState,
      long errors,
      Optional<String> lastError,
      long downloadedBytes) {
    /** Seconds between the newest manifest's time and the served one's; 0 when it is the newest. */
    public double lagSeconds(Clock clock) {
      if (served.isEmpty()) {
        return Double.NaN;
      }
      if (newest.isEmpty() || newest.get().equals(served.get().id())) {
        return 0;
      }
      return Math.max(0, Duration.between(served.get().time(), clock.instant()).toMillis()) / 1e3;
    }
  }

  private final BlobStore store;
  private final FollowerCopy copy;
  private final Duration interval;
  private final Clock clock;
  private final Runnable writerGone;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ancla-follow").daemon(true).factory());
  private final Map<String, String> skipped = new LinkedHashMap<>(); // follow thread only
  private final AtomicLong errors = new AtomicLong();
  private volatile IndexStore index; // present once the first snapshot is served
  private volatile Path servedDir;
  private volatile Served served;
  private volatile String newest;
  private volatile WriterLease.Record writer;
  private volatile WriterRequests.WriterState writerState;
  private volatile String lastError;
  private volatile boolean stopped;
  private volatile boolean paused; // from writerGone until resume or close

  public Follower(
      BlobStore store, FollowerCopy copy, Duration interval, Clock clock, Runnable writerGone) {
    this.store = store;
    this.copy = copy;
    this.interval = interval;
    this.clock = clock;
    this.writerGone = writerGone;
  }

  /**
   * Serves the newest snapshot that can be made local (trying older ones when it fails), opening a
   * read-only store on it. Empty when the store holds no snapshot yet; {@link #start} then serves
   * the first one published, handing its store to {@code firstServed}.
   */
  public Optional<IndexStore> openNewest() throws IOException {
    copy.cleanUp();
    writer = WriterLease.peek(store).orElse(null);
    Manifest.Listing listing = Manifest.listing(store);
    newest = listing.restoreOrder().isEmpty() ? null : listing.restoreOrder().getFirst();
    for (String id : listing.restoreOrder()) {
      try {
        return Optional.of(open(Manifest.load(store, id)));
      } catch (IOException e) {
        skip(id, e);
      }
    }
    if (!listing.ids().isEmpty()) {
      throw new IOException(
          "no snapshot in "
              + store.describe()
              + " can be served: "
              + String.join("; ", skipped.values()));
    }
    return Optional.empty();
  }

  private IndexStore open(Manifest manifest) throws IOException {
    Path dir = copy.materialize(manifest);
    IndexStore opened = IndexStore.openReadOnly(dir, Reads.MAPPED);
    index = opened;
    servedDir = dir;
    served = served(manifest);
    log.info(
        "following {}: serving snapshot {} (generation {}, {} documents)",
        store.describe(),
        manifest.id(),
        manifest.generation(),
        manifest.documents());
    return opened;
  }

  /** Polls every interval; {@code firstServed} gets the store when none was served at boot. */
  public void start(Consumer<IndexStore> firstServed) {
    long every = interval.toMillis();
    executor.scheduleWithFixedDelay(() -> poll(firstServed), every, every, TimeUnit.MILLISECONDS);
  }

  private void poll(Consumer<IndexStore> firstServed) {
    if (stopped || paused) {
      return;
    }
    try {
      Optional<WriterLease.Record> lease = WriterLease.peek(store);
      writer = lease.orElse(null);
      if (lease.isEmpty() || expired(lease.get())) {
        log.info(
            "the writer's lease on {} is {}: trying to become the writer",
            store.describe(),
            lease.isEmpty() ? "free" : "expired (" + lease.get().holder() + ")");
        paused = true;
        writerGone.run();
        return;
      }
      writerState = WriterRequests.writerState(store).orElse(null);
      follow(firstServed);
    } catch (IOException | RuntimeException e) {
      errors.incrementAndGet();
      lastError = e.getMessage();
      log.warn("following {} failed: {}", store.describe(), e.getMessage());
    }
  }

  private void follow(Consumer<IndexStore> firstServed) throws IOException {
    List<String> order = Manifest.listing(store).restoreOrder();
    if (order.isEmpty()) {
      return;
    }
    newest = order.getFirst();
    Served now = served;
    if (now != null && now.id().equals(newest)) {
      return;
    }
    for (String id : order) {
      if (now != null && Manifest.NEWEST_FIRST.compare(id, now.id()) >= 0) {
        return; // nothing newer than what is served can be made local
      }
      if (skipped.containsKey(id)) {
        continue;
      }
      try {
        Manifest manifest = Manifest.load(store, id);
        if (index == null) {
          firstServed.accept(open(manifest));
        } else {
          switchTo(manifest);
        }
        return;
      } catch (FollowerCopy.DamagedException | Manifest.CorruptException e) {
        skip(id, e);
      } // another IOException (the store did not answer) is a follow error; the next poll retries
    }
  }

  private void switchTo(Manifest manifest) throws IOException {
    Path dir = copy.materialize(manifest);
    Path old = servedDir;
    long before = System.nanoTime();
    index.switchTo(dir, Reads.MAPPED, () -> retire(old));
    servedDir = dir;
    served = served(manifest);
    log.info(
        "now serving snapshot {} (generation {}, {} documents; switched in {} ms, {} bytes"
            + " downloaded so far)",
        manifest.id(),
        manifest.generation(),
        manifest.documents(),
        (System.nanoTime() - before) / 1_000_000,
        copy.downloadedBytes());
  }

  private void retire(Path dir) {
    try {
      copy.retire(dir);
    } catch (IOException e) {
      log.warn("could not delete the old snapshot files in {}: {}", dir, e.getMessage());
    }
  }

  private void skip(String id, IOException e) {
    errors.incrementAndGet();
    lastError = "snapshot " + id + " skipped: " + e.getMessage();
    skipped.put(id, id + ": " + e.getMessage());
    log.warn(
        "snapshot {} in {} cannot be served, skipped (the previous one keeps serving): {}",
        id,
        store.describe(),
        e.getMessage());
  }

  private boolean expired(WriterLease.Record lease) {
    try {
      return !Instant.parse(lease.expiresAt()).isAfter(clock.instant());
    } catch (RuntimeException e) {
      return true; // unreadable: nobody can claim to hold it
    }
  }

  private static Served served(Manifest m) {
    return new Served(m.id(), m.generation(), Instant.parse(m.time()));
  }

  /**
   * Passes an admin request to the writer through the store ({@link WriterRequests}); {@code from}
   * names this instance in the writer's log.
   */
  public WriterRequests.Request askWriter(String kind, boolean force, String from)
      throws IOException {
    return WriterRequests.send(store, kind, force, from, clock);
  }

  /** The commit directory served now: a writer taking over starts from it. */
  public Optional<Path> servedDir() {
    return Optional.ofNullable(servedDir);
  }

  public Status status() {
    return new Status(
        Optional.ofNullable(served),
        Optional.ofNullable(newest),
        Optional.ofNullable(writer),
        Optional.ofNullable(writerState),
        errors.get(),
        Optional.ofNullable(lastError),
        copy.downloadedBytes());
  }

  /**
   * Polls again after {@code writerGone} (another instance became the writer first, or this one
   * could not): the snapshot served meanwhile stays served.
   */
  public void resume() {
    paused = false;
  }

  /**
   * Stops polling (a poll in progress finishes; none is interrupted, since close may come from the
   * follower's own thread, in {@code writerGone}); the store served stays open (its owner closes
   * it).
   */
  @Override
  public void close() {
    stopped = true;
    executor.shutdown();
  }
}
