package dev.ancla.server;

import dev.ancla.runtime.JobRunner;
import dev.ancla.runtime.SnapshotScheduler;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events on /api/events. A client first gets {@code state} (the running job or {@code
 * null}, and the last finished one); then, while a job runs, {@code progress} every period; when it
 * ends, {@code done} with its outcome. When snapshots are on, {@code snapshot} (the running one,
 * the newest published, the last error) whenever one starts or ends, on demand or after a commit,
 * so that a page can list the new one. A comment every 15 s keeps idle connections open through
 * proxies.
 */
final class ProgressEvents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProgressEvents.class);
  private static final long KEEP_ALIVE_NANOS = Duration.ofSeconds(15).toNanos();

  private final ServerState state;
  private final List<SseClient> clients = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ancla-events").daemon(true).factory());
  private String lastFinishedId; // touched only by the timer thread
  private Map<String, Object> lastSnapshot; // touched only by the timer thread
  private long lastSentNanos = System.nanoTime();

  ProgressEvents(ServerState state, Duration period) {
    this.state = state;
    timer.scheduleAtFixedRate(
        this::tick, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The SSE handler: registers the client and keeps its connection open. */
  void connect(SseClient client) {
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    client.sendEvent("state", stateEvent()); // first, before the timer thread may write to it
    clients.add(client);
  }

  private Map<String, Object> stateEvent() {
    var open = state.open();
    var event = new java.util.LinkedHashMap<String, Object>();
    event.put("ready", state.ready());
    event.put("job", open.flatMap(o -> o.jobs().current()).map(JobView::running).orElse(null));
    event.put("lastJob", open.flatMap(o -> o.jobs().last()).map(JobView::finished).orElse(null));
    return event;
  }

  private void tick() {
    try {
      var jobs = state.open().map(ServerState.Open::jobs);
      Optional<JobRunner.Finished> finished = jobs.flatMap(JobRunner::last);
      String finishedId = finished.map(f -> f.job().id()).orElse(null);
      // Compared with the previous tick, not with the running job: a job shorter than a period
      // still gets its done event.
      if (finishedId != null && !finishedId.equals(lastFinishedId)) {
        send("done", JobView.finished(finished.get()));
      }
      lastFinishedId = finishedId;
      jobs.flatMap(JobRunner::current).ifPresent(j -> send("progress", JobView.running(j)));
      var snapshot = state.open().flatMap(ServerState.Open::snapshots).map(this::snapshotEvent);
      if (snapshot.isPresent() && !snapshot.get().equals(lastSnapshot)) {
        if (lastSnapshot != null) { // the first look is the state a client reads for itself
          send("snapshot", snapshot.get());
        }
        lastSnapshot = snapshot.get();
      }
      if (System.nanoTime() - lastSentNanos > KEEP_ALIVE_NANOS) {
        clients.forEach(c -> c.sendComment("keep-alive"));
        lastSentNanos = System.nanoTime();
      }
    } catch (RuntimeException e) { // never let one bad tick cancel the schedule
      log.warn("sending progress events failed: {}", e.toString());
    }
  }

  private Map<String, Object> snapshotEvent(SnapshotScheduler snapshots) {
    var event = new java.util.LinkedHashMap<String, Object>();
    event.put("running", snapshots.running().map(AdminRoutes::snapshotJob).orElse(null));
    event.put(
        "last",
        snapshots
            .last()
            .map(
                l ->
                    Map.<String, Object>of(
                        "id", l.id(), "time", l.time().toString(), "generation", l.generation()))
            .orElse(null));
    event.put("error", snapshots.lastError().orElse(null));
    return event;
  }

  private void send(String event, Map<String, Object> data) {
    for (SseClient client : clients) {
      if (client.terminated()) {
        clients.remove(client);
      } else {
        client.sendEvent(event, data);
      }
    }
    lastSentNanos = System.nanoTime();
  }

  int clientCount() {
    return clients.size();
  }

  /** Ends every stream, so that the HTTP server can stop without waiting for them. */
  @Override
  public void close() {
    timer.shutdownNow();
    clients.forEach(SseClient::close);
    clients.clear();
  }
}
