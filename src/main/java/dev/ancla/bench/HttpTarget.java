package dev.ancla.bench;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * A search server that {@code bench http} starts, sees ready, queries over HTTP and stops: Ancla
 * ({@code ./ancla serve}) or Chroma ({@code chroma run}, as the baseline starts it).
 */
interface HttpTarget {
  /** For the report, e.g. "ancla" or "chroma". */
  String name();

  /** The server's command line, listening on 127.0.0.1:{@code port}; not started yet. */
  ProcessBuilder command(int port) throws IOException;

  /** The URI that answers 200 once the server takes queries (readiness, heartbeat). */
  URI readiness(URI base);

  /**
   * A new connection to a server that is ready, before its first query: what a client does once
   * (Chroma's looks the collection up, as its JS client's {@code getCollection} does).
   */
  Session open(LoopbackClient client, URI base) throws IOException;

  /**
   * After the queries, before the stop: checks that the server did only what the benchmark assumes
   * (Ancla: opened the index as it was, and no sync ran beside the queries).
   */
  default void check(LoopbackClient client, URI base) throws IOException {}

  /** Asks the process to stop, the way its own tooling does. */
  void stop(Process process) throws IOException;

  /** Queries of one server: kNN by vector, or (Ancla only) by text. */
  interface Session {
    /** The request body of query {@code q}, made before the clock starts. */
    String body(int q);

    /**
     * Sends a body made by {@link #body} and returns the synthetic docs' indexes in rank order.
     * Throws when the answer is not k hits with their texts.
     */
    List<Integer> send(String body) throws IOException;
  }
}
