package dev.ancla.snapshot;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per snapshot prefix (ARCHITECTURE.md decision 6): a {@code lease.json} object holding
 * an epoch, the holder's id and an expiry, changed only by {@link BlobStore#compareAndSet}.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #takeOver} always takes the lease with the epoch after the one it read: in a rolling
 *       deploy the newest instance wins without waiting for the old lease to expire. When two take
 *       over at once, the compare-and-set lets exactly one win; the other is {@link State.Lost}.
 *   <li>{@link #acquire} takes it only when it is free, expired or already ours ({@code snapshot
 *       create} from a shell must not push a live server aside by accident).
 *   <li>Once lost, a lease stays lost: the instance stops publishing, logs a WARN once and says so
 *       in its status. It never takes the lease back by itself.
 *   <li>{@link #checkBeforePublish} renews the lease and throws {@link LostException} unless this
 *       instance still holds it; {@link SnapshotMirror} calls it right before each manifest. A
 *       writer that loses the lease in the instant between that check and its manifest publishes
 *       one last complete manifest (manifests are create-only, so nothing is overwritten).
 *   <li>While held, the lease is renewed every third of its time to live.
 *   <li>Every write of the lease is read back: a store that gives back other bytes than were
 *       written is an {@link AlteredBody} error that says so, never "taken by nobody".
 *   <li>When first taken, the store is probed for conditional writes ({@link ConditionalWrites}). A
 *       store that ignores them cannot keep two writers from both believing they hold the lease at
 *       once: that is an ERROR in the log with the fix, and {@link #conditionalWrites()} tells
 *       status. Ancla goes on publishing: the read-back after each write and the renewal before
 *       each manifest find a second writer (last writer wins) within a third of the lease's time to
 *       live, manifests never overwrite one another, and blobs are named by their content.
 * </ul>
 */
public final class WriterLease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WriterLease.class);
  static final String KEY = "lease.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** What {@code lease.json} holds. */
  public record Record(long epoch, String holder, String expiresAt) {
    boolean expired(Instant now) {
      try {
        return !Instant.parse(expiresAt).isAfter(now);
      } catch (RuntimeException e) {
        return true; // unreadable: nobody can claim to hold it
      }
    }
  }

  /** Where this instance stands. */
  public sealed interface State {
    /** Not taken yet (or released). */
    record NotTaken() implements State {}

    record Held(long epoch, Instant expiresAt) implements State {}

    /** Another instance took the lease: this one publishes nothing any more. */
    record Lost(long epoch, String holder, long theirEpoch) implements State {}
  }

  /** Thrown by {@link #acquire} when another live writer holds the lease. */
  public static final class HeldException extends IOException {
    HeldException(String message) {
      super(message);
    }
  }

  /** Thrown by {@link #checkBeforePublish} once the lease is lost. */
  public static final class LostException extends IOException {
    LostException(String message) {
      super(message);
    }
  }

  private final BlobStore store;
  private final String holder;
  private final Duration ttl;
  private final Clock clock;
  private volatile State state = new State.NotTaken();
  private volatile ConditionalWrites conditionalWrites; // null until probed
  private byte[] lastWritten = new byte[0]; // guarded by this
  private ScheduledExecutorService renewer; // guarded by this

  public WriterLease(BlobStore store, String holder, Duration ttl, Clock clock) {
    if (ttl.toSeconds() < 3) {
      throw new IllegalArgumentException(
          "lease time to live is " + ttl + "; at least 3 s, e.g. 60 s");
    }
    this.store = store;
    this.holder = holder;
    this.ttl = ttl;
    this.clock = clock;
  }

  /**
   * The holder id of whatever Ancla runs on {@code dataDir}: made once ({@link #newHolderId}) and
   * kept in {@code instance-id} there. Only one process at a time can use a data directory (its
   * lock), so a live lease that names this id was left by this directory's previous process, gone
   * without releasing it (SIGKILL, a crash, a power cut): a restart takes it back at once instead
   * of following its own ghost until the lease expires. On a platform without volumes every
   * container starts with a new directory, hence a new id, and follows as before.
   */
  public static String holderIdOf(java.nio.file.Path dataDir) throws IOException {
    java.nio.file.Path file = dataDir.resolve("instance-id");
    if (java.nio.file.Files.exists(file)) {
      String id = java.nio.file.Files.readString(file).strip();
      if (!id.isEmpty()) {
        return id;
      }
    }
    java.nio.file.Files.createDirectories(dataDir);
    String id = newHolderId();
    java.nio.file.Path tmp = java.nio.file.Files.createTempFile(dataDir, "instance-id", ".tmp");
    try {
      java.nio.file.Files.writeString(tmp, id + "\n");
      java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      java.nio.file.Files.deleteIfExists(tmp);
    }
    return id;
  }

  /** {@code host/pid/random}: unique per process even when two share a host name. */
  public static String newHolderId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
    }
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    return host + "/" + ProcessHandle.current().pid() + "/" + HexFormat.of().formatHex(random);
  }

  public String holder() {
    return holder;
  }

  public State state() {
    return state;
  }

  /** What the store did with conditional writes when the lease was first taken; empty before. */
  public Optional<ConditionalWrites> conditionalWrites() {
    return Optional.ofNullable(conditionalWrites);
  }

  /** Reads the lease as it is in the store, without changing anything. */
  public static Optional<Record> peek(BlobStore store) throws IOException {
    Optional<BlobStore.Versioned> current = store.read(KEY);
    return current.isEmpty() ? Optional.empty() : parse(current.get().bytes());
  }

  /** Takes the lease with the next epoch, whoever holds it now. */
  public synchronized State takeOver() throws IOException {
    return take(true);
  }

  /** Takes the lease if it is free, expired or ours; else throws {@link HeldException}. */
  public synchronized State acquire() throws IOException {
    return take(false);
  }

  private State take(boolean takeOver) throws IOException {
    if (state instanceof State.Lost) {
      return state;
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      Optional<BlobStore.Versioned> current = store.read(KEY);
      Optional<Record> record = current.flatMap(c -> parse(c.bytes()));
      Instant now = clock.instant();
      if (!takeOver
          && record.isPresent()
          && !record.get().holder().equals(holder)
          && !record.get().expired(now)) {
        throw new HeldException(
            "the snapshot lease on "
                + store.describe()
                + " is held by "
                + record.get().holder()
                + " (epoch "
                + record.get().epoch()
                + ") until "
                + record.get().expiresAt()
                + "; another Ancla publishes there. Stop it, wait for the lease to expire, or use"
                + " --take-over");
      }
      long epoch =
          record.map(r -> r.holder().equals(holder) ? r.epoch() : r.epoch() + 1).orElse(1L);
      Instant expires = now.plus(ttl);
      try {
        byte[] written = bytes(epoch, expires);
        store.compareAndSet(KEY, current.map(BlobStore.Versioned::version), written);
        Optional<Record> theirs = readBack(written);
        if (theirs.isPresent()) { // overwritten at once: a store that ignores conditional writes
          if (takeOver) {
            return lose(epoch, theirs.get());
          }
          continue;
        }
        state = new State.Held(epoch, expires);
        log.info(
            "took the snapshot lease on {} (epoch {}, holder {}{})",
            store.describe(),
            epoch,
            holder,
            record
                .filter(r -> !r.holder().equals(holder))
                .map(r -> ", from " + r.holder())
                .orElse(""));
        startRenewing();
        probeOnce();
        return state;
      } catch (BlobStore.ConflictException e) {
        Optional<Record> now2 = peek(store);
        if (now2.isPresent() && now2.get().holder().equals(holder) && now2.get().epoch() == epoch) {
          state = new State.Held(epoch, expires); // a retried write of ours had landed
          startRenewing();
          return state;
        }
        if (takeOver && now2.isPresent()) { // a newer instance took it at the same moment: it wins
          return lose(epoch, now2.get());
        }
      }
    }
    throw new IOException(
        "could not take the snapshot lease on " + store.describe() + ": it kept changing under us");
  }

  /**
   * Extends the lease; finds out when another instance has taken it. Returns the new state. A store
   * that cannot be reached is an IOException, and the state stays as it was.
   */
  public synchronized State renew() throws IOException {
    if (!(state instanceof State.Held held)) {
      return state;
    }
    Optional<BlobStore.Versioned> current = store.read(KEY);
    Optional<Record> record = current.flatMap(c -> parseQuietly(c.bytes()));
    if (current.isPresent() && record.isEmpty()) {
      // not a lease at all: the store changed the bytes (nobody else writes this key)
      throw AlteredBody.of(store.describe(), KEY, lastWritten, current.get().bytes());
    }
    if (record.isEmpty()
        || !record.get().holder().equals(holder)
        || record.get().epoch() != held.epoch()) {
      return lose(
          held.epoch(), record.orElse(new Record(0, "(nobody: lease.json was removed)", "")));
    }
    Instant expires = clock.instant().plus(ttl);
    try {
      byte[] written = bytes(held.epoch(), expires);
      store.compareAndSet(KEY, Optional.of(current.get().version()), written);
      Optional<Record> theirs = readBack(written);
      if (theirs.isPresent()) {
        return lose(held.epoch(), theirs.get());
      }
      state = new State.Held(held.epoch(), expires);
    } catch (BlobStore.ConflictException e) {
      Optional<Record> now = peek(store);
      if (now.isEmpty()
          || !now.get().holder().equals(holder)
          || now.get().epoch() != held.epoch()) {
        return lose(held.epoch(), now.orElse(new Record(0, "(nobody)", "")));
      }
    }
    return state;
  }

  /**
   * Right before a manifest is written: renews the lease, taking it first if nobody asked for it
   * yet ({@link #acquire}). Throws {@link LostException} when another instance holds it.
   */
  public synchronized void checkBeforePublish() throws IOException {
    if (state instanceof State.NotTaken) {
      acquire();
    }
    State now = renew();
    if (now instanceof State.Lost lost) {
      throw new LostException(
          "not publishing to "
              + store.describe()
              + ": the snapshot lease was taken by "
              + lost.holder()
              + " (their epoch "
              + lost.theirEpoch()
              + ", ours "
              + lost.epoch()
              + ")");
    }
  }

  private State lose(long epoch, Record theirs) {
    state = new State.Lost(epoch, theirs.holder(), theirs.epoch());
    log.warn(
        "the snapshot lease on {} was taken by {} (epoch {}; ours was {}): this instance stops"
            + " publishing snapshots. Expected during a rolling deploy; otherwise two servers share"
            + " ANCLA_SNAPSHOT_URL",
        store.describe(),
        theirs.holder(),
        theirs.epoch(),
        epoch);
    stopRenewing();
    return state;
  }

  /** Lets the next writer in at once (expiry = now), keeping the epoch. Only if still ours. */
  public synchronized void release() throws IOException {
    stopRenewing();
    if (!(state instanceof State.Held held)) {
      return;
    }
    Optional<BlobStore.Versioned> current = store.read(KEY);
    Optional<Record> record = current.flatMap(c -> parse(c.bytes()));
    if (record.isPresent()
        && record.get().holder().equals(holder)
        && record.get().epoch() == held.epoch()) {
      try {
        store.compareAndSet(
            KEY, Optional.of(current.get().version()), bytes(held.epoch(), clock.instant()));
      } catch (BlobStore.ConflictException e) {
        // someone took it meanwhile: nothing to release
      }
    }
    state = new State.NotTaken();
  }

  /**
   * Reads the lease just written. Returns the record of another writer that overwrote it at once
   * (possible only on a store that ignores conditional writes); empty when ours is there.
   *
   * @throws AlteredBody when the store holds other bytes that are no lease
   */
  private Optional<Record> readBack(byte[] written) throws IOException {
    lastWritten = written;
    Optional<BlobStore.Versioned> back = store.read(KEY);
    if (back.isPresent() && java.util.Arrays.equals(back.get().bytes(), written)) {
      return Optional.empty();
    }
    if (back.isEmpty()) {
      throw new IOException(
          store.describe()
              + ": "
              + KEY
              + " was written and is not there when read back at once; the store lost the write."
              + " Check that no lifecycle rule or other tool deletes it");
    }
    Optional<Record> theirs = parseQuietly(back.get().bytes());
    if (theirs.isPresent() && !theirs.get().holder().equals(holder)) {
      return theirs;
    }
    throw AlteredBody.of(store.describe(), KEY, written, back.get().bytes());
  }

  /** Once per instance: whether the store honours conditional writes, logged as an ERROR if not. */
  private void probeOnce() {
    if (conditionalWrites != null) {
      return;
    }
    try {
      conditionalWrites = ConditionalWrites.probe(store);
    } catch (IOException | RuntimeException e) {
      log.warn(
          "could not check whether {} honours conditional writes: {}",
          store.describe(),
          e.getMessage());
      return;
    }
    if (!conditionalWrites.honoured()) {
      log.error(
          "{} ignores {} (a probe object was overwritten where the store had to refuse): the"
              + " writer lease cannot keep two Ancla servers from publishing to it at the same"
              + " moment. Ancla goes on, and finds a second writer within a third of"
              + " ANCLA_SNAPSHOT_LEASE_SECONDS by reading the lease back. Run exactly one Ancla per"
              + " ANCLA_SNAPSHOT_URL (no overlapping rolling deploys), or use a store that honours"
              + " conditional writes (AWS S3, Cloudflare R2, MinIO)",
          store.describe(),
          conditionalWrites.ignored());
    }
  }

  private void startRenewing() {
    if (renewer != null) {
      return;
    }
    long period = Math.max(1000, ttl.toMillis() / 3);
    renewer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("ancla-lease").factory());
    renewer.scheduleWithFixedDelay(this::renewQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  private void renewQuietly() {
    try {
      renew();
    } catch (IOException | RuntimeException e) {
      log.warn("could not renew the snapshot lease on {}: {}", store.describe(), e.getMessage());
    }
  }

  private synchronized void stopRenewing() {
    if (renewer != null) {
      renewer.shutdownNow();
      renewer = null;
    }
  }

  @Override
  public void close() {
    stopRenewing();
  }

  private byte[] bytes(long epoch, Instant expires) {
    try {
      return JSON.writeValueAsBytes(new Record(epoch, holder, expires.toString()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the lease", e);
    }
  }

  private static Optional<Record> parseQuietly(byte[] bytes) {
    try {
      Record r = JSON.readValue(bytes, Record.class);
      return r.holder() == null ? Optional.empty() : Optional.of(r);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<Record> parse(byte[] bytes) {
    if (AlteredBody.framed(bytes)) {
      log.warn(
          "lease.json holds aws-chunked upload framing, not a lease; treating the lease as free");
      return Optional.empty();
    }
    try {
      Record r = JSON.readValue(bytes, Record.class);
      return r.holder() == null ? Optional.empty() : Optional.of(r);
    } catch (IOException | RuntimeException e) {
      log.warn("lease.json is unreadable ({}); treating the lease as free", e.getMessage());
      return Optional.empty();
    }
  }
}
