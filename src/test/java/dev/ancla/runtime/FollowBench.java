package dev.ancla.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.testing.RandomCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Figures for docs/BENCHMARKS.md section 10 ("Several instances"), with real `serve` processes on
 * one S3Proxy bucket (filesystem store, loopback): lag from a commit on the writer to the change
 * being searchable on a follower, bytes a follower downloads per change against the bytes of the
 * segments that changed, search throughput with 1, 2 and 3 instances from one client, and failover
 * (SIGKILL of the writer to the new writer's first published snapshot, searches failed meanwhile).
 * Run by {@code bench/follow.sh}; prints JSON.
 */
public final class FollowBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUCKET = "ancla-follow-bench";
  private static final String QUERY = "/api/search?q=faro+del+puerto&k=8";

  public static void main(String[] args) throws Exception {
    var opts = new HashMap<String, String>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i], args[i + 1]);
    }
    int rounds = Integer.parseInt(opts.getOrDefault("--rounds", "50"));
    int files = Integer.parseInt(opts.getOrDefault("--files", "100"));
    int seconds = Integer.parseInt(opts.getOrDefault("--seconds", "15"));
    int clients = Integer.parseInt(opts.getOrDefault("--clients", "8"));
    int series = Integer.parseInt(opts.getOrDefault("--series", "2"));
    var proxy =
        new S3ProxyJunitCore.Builder()
            .withCredentials("AKIABENCH00000000001", "bench-secret-0123456789abcdefghijklmnop")
            .withBlobStoreProvider("filesystem")
            .build();
    proxy.beforeEach();
    Path work = Files.createTempDirectory("ancla-follow-bench");
    var result = new LinkedHashMap<String, Object>();
    try (S3Client s3 = s3(proxy)) {
      s3.createBucket(b -> b.bucket(BUCKET));
      Path docs = Files.createDirectories(work.resolve("docs"));
      RandomCorpus.write(docs, files, 42);
      Files.writeString(
          docs.resolve("faro.md"), "# Faro\n\nEl faro del puerto guía a los barcos.\n");
      writeChange(docs, 0);
      Map<String, String> env = env(proxy, docs);
      var writer = ServeProcess.start("writer", work, env);
      var all = new ArrayList<ServeProcess>(List.of(writer));
      try {
        published(writer);
        var follower = ServeProcess.start("follower-1", work, env);
        all.add(follower);
        ready(follower);
        result.put("lag", lag(s3, writer, follower, docs, rounds));
        var second = ServeProcess.start("follower-2", work, env);
        all.add(second);
        ready(second);
        result.put(
            "throughput", throughput(List.of(writer, follower, second), seconds, clients, series));
        result.put("failover", failover(writer, List.of(follower, second), docs));
      } finally {
        for (var p : all) {
          p.close();
        }
      }
    } finally {
      proxy.afterEach();
    }
    System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
    System.exit(0);
  }

  /** One file in `files`+2 changes per round: its mark is what the follower is polled for. */
  private static void writeChange(Path docs, int round) throws Exception {
    Files.writeString(
        docs.resolve("cambio.md"),
        "# Cambio\n\ncambio " + String.format("marca%03d", round) + " en la nota del día\n");
  }

  private static Map<String, Object> lag(
      S3Client s3, ServeProcess writer, ServeProcess follower, Path docs, int rounds)
      throws Exception {
    var lags = new ArrayList<Long>();
    var endToEnd = new ArrayList<Long>();
    long downloaded = 0;
    long changed = 0;
    String servedBefore = served(follower);
    long bytesBefore =
        follower.get("/api/status").json().path("follow").path("downloadedBytes").asLong();
    for (int round = 1; round <= rounds; round++) {
      writeChange(docs, round);
      String lastJob = writer.get("/api/status").json().path("lastJob").path("id").asText("");
      Instant posted = Instant.now();
      if (writer.post("/api/sync").status() != 202) {
        throw new IllegalStateException("sync refused: " + writer.get("/api/status").body());
      }
      awaitJobAfter(writer, lastJob);
      String mark = String.format("marca%03d", round);
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      Instant seen = null;
      while (seen == null && System.nanoTime() < deadline) {
        if (hitsContain(follower.get("/api/search?q=cambio+" + mark + "&k=3").json(), mark)) {
          seen = Instant.now();
        } else {
          Thread.sleep(10);
        }
      }
      if (seen == null) {
        throw new IllegalStateException("round " + round + " never searchable on the follower");
      }
      // the round's first commit: the first snapshot after the POST holds it (one file changed)
      Instant committed = firstCommitAfter(s3, posted);
      lags.add(Duration.between(committed, seen).toMillis());
      endToEnd.add(Duration.between(posted, seen).toMillis());
      Thread.sleep(200); // the status's served id is the one searched
      String servedNow = served(follower);
      long bytesNow =
          follower.get("/api/status").json().path("follow").path("downloadedBytes").asLong();
      downloaded += bytesNow - bytesBefore;
      changed += newBytes(s3, servedBefore, servedNow);
      servedBefore = servedNow;
      bytesBefore = bytesNow;
    }
    var sorted = new ArrayList<>(lags);
    sorted.sort(null);
    var m = new LinkedHashMap<String, Object>();
    m.put("rounds", rounds);
    m.put("p50Ms", sorted.get(sorted.size() / 2));
    m.put(
        "p99Ms",
        sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)));
    m.put("maxMs", sorted.getLast());
    m.put("downloadedBytes", downloaded);
    m.put("changedSegmentBytes", changed);
    m.put("downloadedOverChanged", changed == 0 ? null : (double) downloaded / changed);
    m.put("lagsMs", lags);
    var sortedEnd = new ArrayList<>(endToEnd);
    sortedEnd.sort(null);
    m.put("syncPostToSearchableP50Ms", sortedEnd.get(sortedEnd.size() / 2));
    m.put("syncPostToSearchableMaxMs", sortedEnd.getLast());
    return m;
  }

  private static final java.time.format.DateTimeFormatter ID_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
          .withZone(java.time.ZoneOffset.UTC);

  /** committed_at of the oldest manifest whose id time is not before {@code after}. */
  private static Instant firstCommitAfter(S3Client s3, Instant after) throws Exception {
    String first = null;
    for (var o :
        s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("team/snapshots/")).contents()) {
      String name = o.key().substring("team/snapshots/".length());
      if (!name.endsWith(".json")) {
        continue;
      }
      String id = name.substring(0, name.length() - 5);
      Instant time = Instant.from(ID_TIME.parse(id.substring(0, id.indexOf('-'))));
      if (!time.isBefore(after) && (first == null || id.compareTo(first) < 0)) {
        first = id;
      }
    }
    if (first == null) {
      throw new IllegalStateException("no snapshot after " + after);
    }
    return Instant.parse(manifest(s3, first).path("commitData").path("committed_at").asText());
  }

  /** Whether a hit's text has {@code mark} (the answer also echoes the query, which has it too). */
  private static boolean hitsContain(JsonNode body, String mark) {
    for (JsonNode hit : body.path("results")) {
      if (hit.path("text").asText().contains(mark)) {
        return true;
      }
    }
    return false;
  }

  private static String served(ServeProcess follower) throws Exception {
    return follower.get("/api/status").json().path("follow").path("served").path("id").asText();
  }

  /** Bytes of the files of manifest {@code now} whose blobs manifest {@code before} lacks. */
  private static long newBytes(S3Client s3, String before, String now) throws Exception {
    if (before.equals(now)) {
      return 0;
    }
    Set<String> had = new HashSet<>();
    for (JsonNode f : manifest(s3, before).path("files")) {
      had.add(f.path("sha256").asText());
    }
    long bytes = 0;
    Set<String> counted = new HashSet<>();
    for (JsonNode f : manifest(s3, now).path("files")) {
      String sha = f.path("sha256").asText();
      if (!had.contains(sha) && counted.add(sha)) {
        bytes += f.path("size").asLong();
      }
    }
    return bytes;
  }

  private static JsonNode manifest(S3Client s3, String id) throws Exception {
    return JSON.readTree(
        s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("team/snapshots/" + id + ".json"))
            .asByteArray());
  }

  private static JsonNode awaitJobAfter(ServeProcess writer, String previous) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode last = writer.get("/api/status").json().path("lastJob");
      if (!last.isMissingNode() && !last.isNull() && !last.path("id").asText().equals(previous)) {
        return last;
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("the sync did not finish");
  }

  /**
   * Searches per second from one client ({@code clients} threads) spread over the first 1, 2 and 3
   * instances, interleaved {@code series} times; every instance runs throughout.
   */
  private static Map<String, Object> throughput(
      List<ServeProcess> instances, int seconds, int clients, int series) throws Exception {
    var m = new LinkedHashMap<String, Object>();
    for (int s = 0; s < series; s++) {
      for (int n = 1; n <= instances.size(); n++) {
        double rate = rate(instances.subList(0, n), seconds, clients);
        @SuppressWarnings("unchecked")
        var list = (List<Double>) m.computeIfAbsent(n + "", k -> new ArrayList<Double>());
        list.add(rate);
      }
    }
    return m;
  }

  private static double rate(List<ServeProcess> targets, int seconds, int clients)
      throws Exception {
    for (var t : targets) { // warm: the model loaded, the searcher's caches filled
      for (int i = 0; i < 20; i++) {
        t.get(QUERY);
      }
    }
    var ok = new AtomicLong();
    var failed = new AtomicLong();
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    var threads = new ArrayList<Thread>();
    for (int c = 0; c < clients; c++) {
      int offset = c;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    int i = offset;
                    while (System.nanoTime() < end) {
                      try {
                        var r = targets.get(i++ % targets.size()).get(QUERY);
                        (r.status() == 200 ? ok : failed).incrementAndGet();
                      } catch (Exception e) {
                        failed.incrementAndGet();
                      }
                    }
                  }));
    }
    for (var t : threads) {
      t.join();
    }
    if (failed.get() > 0) {
      throw new IllegalStateException(failed + " searches failed");
    }
    return ok.get() / (double) seconds;
  }

  /** SIGKILL of the writer with a change not yet synced: to the new writer's first snapshot. */
  private static Map<String, Object> failover(
      ServeProcess writer, List<ServeProcess> followers, Path docs) throws Exception {
    writeChange(docs, 999);
    var failed = new AtomicLong();
    var done = new AtomicLong();
    var running = new AtomicBoolean(true);
    var reasons = new java.util.concurrent.ConcurrentLinkedQueue<String>();
    var searcher =
        Thread.ofPlatform()
            .start(
                () -> {
                  int i = 0;
                  while (running.get()) {
                    try {
                      var f = followers.get(i++ % followers.size());
                      var r = f.get(QUERY);
                      (r.status() == 200 ? done : failed).incrementAndGet();
                      if (r.status() != 200) {
                        reasons.add(f.name + ": " + r.status() + " " + r.body());
                      }
                    } catch (Exception e) {
                      failed.incrementAndGet();
                      reasons.add(e.toString());
                    }
                  }
                });
    Map<String, String> before = new HashMap<>();
    for (var f : followers) {
      before.put(f.name, served(f));
    }
    long killed = System.nanoTime();
    writer.sigkill();
    Long becameMs = null;
    Long publishedMs = null;
    String newWriter = null;
    long deadline = killed + Duration.ofSeconds(180).toNanos();
    while (publishedMs == null && System.nanoTime() < deadline) {
      for (var f : followers) {
        JsonNode s = f.get("/api/status").json();
        if (s.path("role").asText().equals("writer")) {
          if (becameMs == null) {
            becameMs = (System.nanoTime() - killed) / 1_000_000;
            newWriter = f.name;
          }
          JsonNode last = s.path("lastSnapshot");
          if (!last.isNull()
              && !last.isMissingNode()
              && !last.path("id").asText().equals(before.get(f.name))) {
            publishedMs = (System.nanoTime() - killed) / 1_000_000;
          }
        }
      }
      Thread.sleep(20);
    }
    running.set(false);
    searcher.join();
    var m = new LinkedHashMap<String, Object>();
    m.put("leaseSeconds", 6);
    m.put("followSeconds", 1);
    m.put("newWriter", newWriter);
    m.put("becameWriterMs", becameMs);
    m.put("firstPublishedMs", publishedMs);
    m.put("searches", done.get());
    m.put("searchesFailed", failed.get());
    m.put("failures", List.copyOf(reasons).stream().limit(5).toList());
    return m;
  }

  private static void published(ServeProcess writer) throws Exception {
    writer.awaitStatus(
        s -> !s.path("lastSnapshot").isNull() && !s.path("lastSnapshot").isMissingNode(),
        Duration.ofSeconds(600),
        "first snapshot");
  }

  private static void ready(ServeProcess follower) throws Exception {
    follower.awaitStatus(
        s -> s.path("role").asText().equals("follower"), Duration.ofSeconds(180), "following");
  }

  private static Map<String, String> env(S3ProxyJunitCore proxy, Path docs) {
    var env = new HashMap<String, String>();
    env.put("ANCLA_SNAPSHOT_URL", "s3://" + BUCKET + "/team");
    env.put("AWS_ENDPOINT_URL_S3", proxy.getUri().toString());
    env.put("ANCLA_S3_PATH_STYLE", "true");
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", proxy.getAccessKey());
    env.put("AWS_SECRET_ACCESS_KEY", proxy.getSecretKey());
    env.put("ANCLA_SOURCES", docs.toString());
    env.put("ANCLA_SNAPSHOT_DEBOUNCE_SECONDS", "0");
    env.put("ANCLA_SNAPSHOT_LEASE_SECONDS", "6");
    env.put("ANCLA_FOLLOW_SECONDS", "1");
    env.put("ANCLA_SYNC_INTERVAL", "off");
    env.put("ANCLA_SNAPSHOT_SCRUB_MB_PER_DAY", "0");
    return env;
  }

  private static S3Client s3(S3ProxyJunitCore proxy) {
    return S3Client.builder()
        .endpointOverride(proxy.getUri())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(proxy.getAccessKey(), proxy.getSecretKey())))
        .build();
  }
}
