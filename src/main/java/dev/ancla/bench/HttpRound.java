package dev.ancla.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One start of one server in {@code bench http}: spawn, poll readiness every 5 ms (as the baseline
 * polls Chroma's heartbeat), the first query (query vector 0) through a new client session, then
 * the baseline's query phase on the same process: warm-up queries 1000.. and the timed queries 0..,
 * one at a time, each timed from sending the request to the parsed response.
 */
final class HttpRound {
  private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

  private final LoopbackClient client;
  private final int warmup;
  private final int queries;
  private final int passes;
  private final Optional<JsonNode> truth;
  private final int k;

  /**
   * @param queries timed queries after the warm-up; 0 measures the start only
   * @param passes how many times the timed queries run: the first pass is the baseline's protocol
   *     (a new server, a short warm-up), later ones measure a server that has warmed up
   * @param truth the baseline's ground truth ({@code topk}: exact top-k doc indexes per query), for
   *     recall; empty when the queries are not the baseline's (text queries)
   */
  HttpRound(
      LoopbackClient client, int warmup, int queries, int passes, Optional<JsonNode> truth, int k) {
    this.client = client;
    this.warmup = warmup;
    this.queries = queries;
    this.passes = passes;
    this.truth = truth;
    this.k = k;
  }

  /**
   * Start and queries of one process.
   *
   * @param cpuToFirstResultMs user + sys CPU of the server process from spawn to the first result
   *     (all its threads; 10 ms ticks)
   * @param passes the timed passes over the queries, in order; none when only the start counts
   */
  record Result(
      String target,
      double readyMs,
      double firstResultMs,
      double cpuToFirstResultMs,
      List<Latency> passes) {}

  /**
   * @param millis every timed query's latency, sorted
   * @param recall mean recall@k against the ground truth; NaN without one
   * @param serverCpuMsPerQuery the server's CPU over the timed queries, divided by their number
   */
  record Latency(double[] millis, double recall, double serverCpuMsPerQuery) {
    double percentile(double p) {
      return QueriesCommand.percentile(millis, p);
    }

    double mean() {
      return Arrays.stream(millis).average().orElse(Double.NaN);
    }
  }

  Result run(HttpTarget target) throws IOException, InterruptedException {
    int port = freePort();
    URI base = URI.create("http://127.0.0.1:" + port);
    ProcessBuilder command = target.command(port);
    long t0 = System.nanoTime();
    Process process = command.start();
    try {
      URI readiness = target.readiness(base);
      while (!client.ok(readiness)) {
        if (!process.isAlive()) {
          throw new IOException(
              target.name() + " exited with " + process.exitValue() + " before it was ready");
        }
        if (System.nanoTime() - t0 > READY_TIMEOUT_NANOS) {
          throw new IOException(target.name() + " was not ready after 120 s");
        }
        Thread.sleep(5);
      }
      long tReady = System.nanoTime();
      HttpTarget.Session session = target.open(client, base);
      session.send(session.body(0));
      long tFirst = System.nanoTime();
      double cpuToFirst = cpuMs(process);
      List<Latency> timed = queries == 0 ? List.of() : timedQueries(session, process);
      target.check(client, base);
      return new Result(target.name(), (tReady - t0) / 1e6, (tFirst - t0) / 1e6, cpuToFirst, timed);
    } finally {
      stop(target, process);
    }
  }

  private List<Latency> timedQueries(HttpTarget.Session session, Process process)
      throws IOException {
    for (int w = 0; w < warmup; w++) {
      session.send(session.body(1000 + w));
    }
    String[] bodies = new String[queries];
    for (int q = 0; q < queries; q++) {
      bodies[q] = session.body(q);
    }
    var timed = new ArrayList<Latency>(passes);
    for (int pass = 0; pass < passes; pass++) {
      timed.add(pass(session, process, bodies));
    }
    return timed;
  }

  private Latency pass(HttpTarget.Session session, Process process, String[] bodies)
      throws IOException {
    double[] millis = new double[queries];
    double recallSum = 0;
    double cpuBefore = cpuMs(process);
    for (int q = 0; q < queries; q++) {
      long start = System.nanoTime();
      List<Integer> ids = session.send(bodies[q]);
      millis[q] = (System.nanoTime() - start) / 1e6;
      if (truth.isPresent()) {
        recallSum += recall(ids, truth.get().get("topk").get(q));
      }
    }
    double cpuPerQuery = (cpuMs(process) - cpuBefore) / queries;
    Arrays.sort(millis);
    return new Latency(millis, truth.isPresent() ? recallSum / queries : Double.NaN, cpuPerQuery);
  }

  private double recall(List<Integer> ids, JsonNode expected) {
    var exact = new HashSet<Integer>();
    for (int i = 0; i < k && i < expected.size(); i++) {
      exact.add(expected.get(i).asInt());
    }
    return (double) ids.stream().filter(exact::contains).count() / exact.size();
  }

  /** User + sys time of the process (all threads) so far, from /proc. */
  private static double cpuMs(Process process) {
    return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
  }

  private static void stop(HttpTarget target, Process process)
      throws IOException, InterruptedException {
    if (process.isAlive()) {
      target.stop(process);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
