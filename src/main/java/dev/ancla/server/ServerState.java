package dev.ancla.server;

import dev.ancla.Ancla;
import dev.ancla.runtime.Follower;
import dev.ancla.runtime.JobRunner;
import dev.ancla.runtime.SnapshotScheduler;
import java.util.Optional;

/**
 * What the server has at this moment: nothing while the index opens (the port is already open,
 * /healthz answers), then the open index and its job runner; then, after SIGTERM, stopping.
 * Handlers that need the index call {@link #require()}, which answers 503 until it is open.
 */
final class ServerState {
  /**
   * The open index, the one runner of its jobs, and the snapshot scheduler when snapshots are on
   * and this instance is the writer; on a follower, the follower instead (ARCHITECTURE.md decision
   * 16).
   */
  record Open(
      Ancla ancla,
      JobRunner jobs,
      Optional<SnapshotScheduler> snapshots,
      Optional<Follower> follower) {
    Open(Ancla ancla, JobRunner jobs, Optional<SnapshotScheduler> snapshots) {
      this(ancla, jobs, snapshots, Optional.empty());
    }

    /** {@code writer} or {@code follower}. */
    String role() {
      return follower.isPresent() ? "follower" : "writer";
    }
  }

  private volatile Open open;
  private volatile boolean stopping;

  void opened(Open value) {
    open = value;
  }

  void stopping() {
    stopping = true;
  }

  boolean isStopping() {
    return stopping;
  }

  Optional<Open> open() {
    return Optional.ofNullable(open);
  }

  /**
   * Ready: an index is open, answers (an index in Solr may not: see {@link Ancla#reachable}), and
   * the server is not shutting down.
   */
  boolean ready() {
    Open o = open;
    return o != null && !stopping && o.ancla().reachable();
  }

  Open require() {
    if (stopping) {
      throw ApiError.unavailable(
          "Ancla is shutting down; retry on another instance or after the restart");
    }
    Open current = open;
    if (current == null) {
      throw ApiError.unavailable(
          "the index is still opening; retry in a few seconds (see /readyz)");
    }
    return current;
  }
}
