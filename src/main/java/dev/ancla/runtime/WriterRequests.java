package dev.ancla.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.snapshot.BlobStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin requests that only the writer can carry out, passed through the store (ARCHITECTURE.md
 * decision 16): on App Platform, Cloud Run or Fly the instances behind one load balancer cannot
 * address each other, but they share the bucket.
 *
 * <p>Contract: a follower {@link #send}s {@code requests/<time>-<random>.json} (created, never
 * overwritten); the writer lists {@code requests/} every poll, hands each request to its handler in
 * the order sent, and deletes it once the handler took it. A request the handler cannot take now (a
 * job runs) stays for the next poll; one older than {@link #EXPIRES} or unreadable is deleted with
 * a WARN. The writer also publishes {@code writer.json} (its holder id and running job) when that
 * changes, so a follower's status can show the writer's job.
 */
public final class WriterRequests implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WriterRequests.class);
  static final String PREFIX = "requests/";
  static final String WRITER_KEY = "writer.json";
  static final Duration EXPIRES = Duration.ofHours(1);
  static final Set<String> KINDS = Set.of("sync", "reindex", "snapshot");
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** One request: {@code kind} is sync, reindex or snapshot; {@code force} only for reindex. */
  public record Request(String id, String kind, boolean force, String from, String at) {}

  /** What the writer publishes about itself: its lease holder id and its running job, if any. */
  public record WriterState(String holder, Map<String, Object> job, String at) {}

  /** Carries a request out; false when it cannot now (it is offered again at the next poll). */
  @FunctionalInterface
  public interface Handler {
    boolean take(Request request);
  }

  private final BlobStore store;
  private final Handler handler;
  private final Supplier<WriterState> state;
  private final Clock clock;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ancla-requests").daemon(true).factory());
  private String published = ""; // the executor's thread only: the writer.json last written

  public WriterRequests(
      BlobStore store, Handler handler, Supplier<WriterState> state, Clock clock) {
    this.store = store;
    this.handler = handler;
    this.state = state;
    this.clock = clock;
  }

  /** Writes a request for the writer; returns it. */
  public static Request send(BlobStore store, String kind, boolean force, String from, Clock clock)
      throws IOException {
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("kind is " + kind + "; expected one of " + KINDS);
    }
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    Instant now = clock.instant();
    String id = now.toEpochMilli() + "-" + HexFormat.of().formatHex(random);
    var request = new Request(id, kind, force, from, now.toString());
    store.compareAndSet(PREFIX + id + ".json", Optional.empty(), JSON.writeValueAsBytes(request));
    return request;
  }

  /** What the writer last published about itself; empty before it published anything. */
  public static Optional<WriterState> writerState(BlobStore store) throws IOException {
    Optional<BlobStore.Versioned> read = store.read(WRITER_KEY);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(read.get().bytes(), WriterState.class));
    } catch (IOException e) {
      return Optional.empty(); // being replaced, or from another version: shown as unknown
    }
  }

  /** Polls every {@code every}. */
  public void start(Duration every) {
    long millis = every.toMillis();
    executor.scheduleWithFixedDelay(this::poll, 0, millis, TimeUnit.MILLISECONDS);
  }

  private void poll() {
    try {
      publishState();
      List<BlobStore.Blob> waiting =
          store.list(PREFIX).stream().sorted(Comparator.comparing(BlobStore.Blob::key)).toList();
      for (BlobStore.Blob blob : waiting) {
        if (!offer(blob)) {
          return; // the writer is busy: the rest wait too, in order
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("could not read the requests in {}: {}", store.describe(), e.getMessage());
    }
  }

  private boolean offer(BlobStore.Blob blob) throws IOException {
    Optional<BlobStore.Versioned> read = store.read(blob.key());
    if (read.isEmpty()) {
      return true;
    }
    Request request;
    try {
      request = JSON.readValue(read.get().bytes(), Request.class);
    } catch (IOException e) {
      log.warn("deleting {}: not a request ({})", blob.key(), e.getMessage());
      store.delete(blob.key());
      return true;
    }
    if (request.kind() == null || !KINDS.contains(request.kind())) {
      log.warn("deleting {}: unknown kind {}", blob.key(), request.kind());
      store.delete(blob.key());
      return true;
    }
    if (Duration.between(blob.modified(), clock.instant()).compareTo(EXPIRES) > 0) {
      log.warn(
          "deleting request {} ({} from {}): not carried out within {}",
          request.id(),
          request.kind(),
          request.from(),
          EXPIRES);
      store.delete(blob.key());
      return true;
    }
    if (!handler.take(request)) {
      return false;
    }
    log.info("took request {} from {}: {}", request.id(), request.from(), request.kind());
    store.delete(blob.key());
    publishState();
    return true;
  }

  private void publishState() throws IOException {
    WriterState now = state.get();
    byte[] bytes = JSON.writeValueAsBytes(new WriterState(now.holder(), now.job(), null));
    String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    if (text.equals(published)) {
      return;
    }
    Optional<BlobStore.Versioned> current = store.read(WRITER_KEY);
    byte[] stamped =
        JSON.writeValueAsBytes(
            new WriterState(now.holder(), now.job(), clock.instant().toString()));
    try {
      store.compareAndSet(WRITER_KEY, current.map(BlobStore.Versioned::version), stamped);
      published = text;
    } catch (BlobStore.ConflictException e) {
      // another writer wrote it in the same instant: the next poll writes ours again
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
