package dev.ancla.index.solr;

import static dev.ancla.index.IndexSchema.ID;
import static dev.ancla.index.IndexSchema.KIND;
import static dev.ancla.index.solr.SolrQueries.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per Solr collection: a lease document of its own kind ({@code kind:lease}, never a
 * chunk, a file or a state, so search, counts and the registry never see it) holding an epoch, the
 * holder's id and an expiry, changed only with Solr's optimistic concurrency: a create sends {@code
 * _version_:-1} (refused with 409 when the document exists), an update sends the {@code _version_}
 * it read (refused with 409 when anyone changed it since). Reads use real-time get, so no commit is
 * needed for another instance to see a change.
 *
 * <p>Contract (as {@link dev.ancla.snapshot.WriterLease}'s {@code acquire}, without take-over):
 *
 * <ul>
 *   <li>{@link #acquire} takes the lease only when it is free, expired or already ours, else throws
 *       {@link HeldException} naming the holder and its expiry. When two take it at once, exactly
 *       one wins; the other gets {@link HeldException}.
 *   <li>While held, the lease is renewed every third of its time to live.
 *   <li>Once lost (another instance took it after ours expired, e.g. after a long pause), a lease
 *       stays lost: {@link #state} says so and the instance must stop writing. It never takes the
 *       lease back by itself.
 *   <li>{@link #release} sets the expiry to now (keeping the epoch) if the lease is still ours, so
 *       the next writer takes it at once.
 * </ul>
 */
public final class SolrWriterLease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SolrWriterLease.class);
  static final String KIND_LEASE = "lease";
  static final String LEASE_ID = "_ancla!lease";

  /** What the lease document holds (as JSON in {@code meta}). */
  public record Record(long epoch, String holder, String expiresAt) {
    public boolean expired(Instant now) {
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

    /** Another instance took the lease: this one writes nothing any more. */
    record Lost(long epoch, String holder, long theirEpoch) implements State {}
  }

  /** Thrown by {@link #acquire} when another live writer holds the lease. */
  public static final class HeldException extends IOException {
    private final Record holder;

    HeldException(String message, Record holder) {
      super(message);
      this.holder = holder;
    }

    /** The lease as read: who writes, until when. */
    public Record record() {
      return holder;
    }
  }

  /** The lease document as read, with the {@code _version_} an update must name. */
  private record Versioned(Record record, long version) {}

  private final SolrHttp http;
  private final String collection;
  private final String holder;
  private final Duration ttl;
  private final Clock clock;
  private volatile State state = new State.NotTaken();
  private ScheduledExecutorService renewer; // guarded by this

  public SolrWriterLease(SolrChunkIndex index, String holder, Duration ttl, Clock clock) {
    if (ttl.toSeconds() < 3) {
      throw new IllegalArgumentException(
          "lease time to live is " + ttl + "; at least 3 s, e.g. 60 s");
    }
    this.http = index.http();
    this.collection = index.collection();
    this.holder = holder;
    this.ttl = ttl;
    this.clock = clock;
  }

  public String holder() {
    return holder;
  }

  public State state() {
    return state;
  }

  /** Reads the lease as it is in the collection, without changing anything. */
  public static Optional<Record> peek(SolrChunkIndex index) throws IOException {
    return read(index.http(), index.collection()).map(Versioned::record);
  }

  /** Takes the lease if it is free, expired or ours; else throws {@link HeldException}. */
  public synchronized State acquire() throws IOException {
    if (state instanceof State.Lost) {
      return state;
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      Optional<Versioned> current = read(http, collection);
      Instant now = clock.instant();
      if (current.isPresent()) {
        Record r = current.get().record();
        if (!r.holder().equals(holder) && !r.expired(now)) {
          throw held(r);
        }
      }
      long epoch =
          current
              .map(Versioned::record)
              .map(r -> r.holder().equals(holder) ? r.epoch() : r.epoch() + 1)
              .orElse(1L);
      Instant expires = now.plus(ttl);
      try {
        write(new Record(epoch, holder, expires.toString()), current.map(Versioned::version));
        state = new State.Held(epoch, expires);
        log.info(
            "took the writer lease on Solr collection {} (epoch {}, holder {}{})",
            collection,
            epoch,
            holder,
            current
                .map(Versioned::record)
                .filter(r -> !r.holder().equals(holder))
                .map(r -> ", from " + r.holder())
                .orElse(""));
        startRenewing();
        return state;
      } catch (SolrHttp.Conflict e) {
        Optional<Versioned> after = read(http, collection);
        if (after.isPresent() && ours(after.get().record(), epoch)) {
          state = new State.Held(epoch, expires); // a resent write of ours had landed
          startRenewing();
          return state;
        }
        // someone else wrote it between our read and our write: read again
      }
    }
    throw new IOException(
        "could not take the writer lease on Solr collection "
            + collection
            + ": it kept changing under us");
  }

  /**
   * Extends the lease; finds out when another instance has taken it. Returns the new state. A
   * cluster that cannot be reached is an IOException, and the state stays as it was.
   */
  public synchronized State renew() throws IOException {
    if (!(state instanceof State.Held held)) {
      return state;
    }
    Optional<Versioned> current = read(http, collection);
    if (current.isEmpty() || !ours(current.get().record(), held.epoch())) {
      return lose(
          held.epoch(),
          current
              .map(Versioned::record)
              .orElse(new Record(0, "(nobody: the lease document was removed)", "")));
    }
    Instant expires = clock.instant().plus(ttl);
    try {
      write(
          new Record(held.epoch(), holder, expires.toString()),
          Optional.of(current.get().version()));
      state = new State.Held(held.epoch(), expires);
    } catch (SolrHttp.Conflict e) {
      Optional<Versioned> now = read(http, collection);
      if (now.isEmpty() || !ours(now.get().record(), held.epoch())) {
        return lose(held.epoch(), now.map(Versioned::record).orElse(new Record(0, "(nobody)", "")));
      }
    }
    return state;
  }

  /** Lets the next writer in at once (expiry = now), keeping the epoch. Only if still ours. */
  public synchronized void release() throws IOException {
    stopRenewing();
    if (!(state instanceof State.Held held)) {
      return;
    }
    Optional<Versioned> current = read(http, collection);
    if (current.isPresent() && ours(current.get().record(), held.epoch())) {
      try {
        write(
            new Record(held.epoch(), holder, clock.instant().toString()),
            Optional.of(current.get().version()));
      } catch (SolrHttp.Conflict e) {
        // someone took it meanwhile: nothing to release
      }
    }
    state = new State.NotTaken();
  }

  @Override
  public void close() {
    stopRenewing();
  }

  private boolean ours(Record r, long epoch) {
    return r.holder().equals(holder) && r.epoch() == epoch;
  }

  private HeldException held(Record r) {
    return new HeldException(
        "the writer lease on Solr collection "
            + collection
            + " is held by "
            + r.holder()
            + " (epoch "
            + r.epoch()
            + ") until "
            + r.expiresAt()
            + "; another Ancla writes to this collection. Stop it, or wait for its lease to"
            + " expire",
        r);
  }

  private State lose(long epoch, Record theirs) {
    state = new State.Lost(epoch, theirs.holder(), theirs.epoch());
    log.warn(
        "the writer lease on Solr collection {} was taken by {} (epoch {}; ours was {}): this"
            + " instance stops writing to it",
        collection,
        theirs.holder(),
        theirs.epoch(),
        epoch);
    stopRenewing();
    return state;
  }

  /**
   * Writes the lease document: a create ({@code _version_:-1}) when none was read, else an update
   * naming the version read. {@link SolrHttp.Conflict} when either no longer holds.
   */
  private void write(Record record, Optional<Long> readVersion) throws IOException {
    ObjectNode doc = NODES.objectNode();
    doc.put(ID, LEASE_ID);
    doc.put(KIND, KIND_LEASE);
    doc.put("meta", SolrHttp.JSON.writeValueAsString(record));
    doc.put("_version_", readVersion.orElse(-1L));
    ObjectNode body = NODES.objectNode();
    body.putObject("add").set("doc", doc);
    http.postJson(
        "/" + SolrCollection.enc(collection) + "/update?wt=json",
        SolrHttp.JSON.writeValueAsString(body));
  }

  /** Real-time get: sees the latest write without a commit. */
  private static Optional<Versioned> read(SolrHttp http, String collection) throws IOException {
    JsonNode doc =
        http.get(
                "/"
                    + SolrCollection.enc(collection)
                    + "/get?wt=json&fl=id,meta,_version_&id="
                    + SolrCollection.enc(LEASE_ID))
            .path("doc");
    if (doc.isMissingNode() || doc.isNull()) {
      return Optional.empty();
    }
    long version = doc.path("_version_").asLong();
    try {
      Record r = SolrHttp.JSON.readValue(doc.path("meta").asText(), Record.class);
      if (r.holder() != null && r.expiresAt() != null) {
        return Optional.of(new Versioned(r, version));
      }
    } catch (IOException | RuntimeException e) {
      // fall through: an unreadable lease is a free one, taken over with its version
    }
    log.warn(
        "the writer lease document in Solr collection {} is unreadable; treating it as free",
        collection);
    return Optional.of(new Versioned(new Record(0, "(unreadable)", ""), version));
  }

  private void startRenewing() {
    if (renewer != null) {
      return;
    }
    long period = Math.max(1000, ttl.toMillis() / 3);
    renewer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("ancla-solr-lease").factory());
    renewer.scheduleWithFixedDelay(this::renewQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  private void renewQuietly() {
    try {
      renew();
    } catch (IOException | RuntimeException e) {
      log.warn(
          "could not renew the writer lease on Solr collection {}: {}", collection, e.getMessage());
    }
  }

  private synchronized void stopRenewing() {
    if (renewer != null) {
      renewer.shutdownNow();
      renewer = null;
    }
  }
}
