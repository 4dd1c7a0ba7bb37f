package dev.ancla.runtime;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.snapshot.S3Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several real `serve` processes on one S3Proxy bucket (ARCHITECTURE.md decision 16): one writer,
 * followers that serve its snapshots, and a follower that takes over when the writer is killed.
 *
 * <p>A "round" rewrites the three files under {@code ronda/}, each naming the round ({@code
 * marcaNNN}), and syncs them on the writer in one commit. A search for them on a follower must then
 * give three hits of one round: two rounds in one answer would be a mixed result.
 */
class FollowersTest {
  private static final Pattern MARK = Pattern.compile("marca(\\d{3})");
  private static final String SEARCH = "/api/search?q=ronda&path=ronda/&k=8";

  @RegisterExtension final S3ProxyExtension proxy = S3Fixture.newProxy();
  @TempDir Path dir;

  @Test
  void twoFollowersServeEachOfTwentyCommitsWithoutAFailedOrMixedSearch() throws Exception {
    var fixture = new S3Fixture(proxy, "ancla-follow").createBucket();
    Path docs = docs(0);
    Map<String, String> env = env(fixture, docs);
    var searches = new Searches();
    try (var writer = ServeProcess.start("writer", dir, env)) {
      JsonNode first = published(writer, Duration.ofSeconds(180));
      try (var a = ServeProcess.start("follower-a", dir, env);
          var b = ServeProcess.start("follower-b", dir, env)) {
        String holder = first.path("lease").path("holder").asText();
        for (var f : List.of(a, b)) {
          JsonNode status = f.awaitStatus(s -> true, Duration.ofSeconds(120), "status");
          assertEquals("follower", status.path("role").asText(), status.toString());
          assertEquals("writer", first.path("role").asText());
          assertEquals(holder, status.path("follow").path("writer").path("holder").asText());
          assertEquals(200, f.get("/readyz").status(), "ready once it serves a snapshot");
          assertEquals(Set.of(0), searches.roundsOn(f), "serves the writer's first commit");
        }
        searches.start(List.of(a, b));
        for (int round = 1; round <= 20; round++) {
          writeRound(docs, round);
          long start = System.nanoTime();
          if (round % 2 == 0) {
            assertEquals(202, writer.post("/api/sync").status());
          } else { // sent to a follower: it reaches the writer through the bucket
            var forwarded = (round % 4 == 1 ? a : b).post("/api/sync");
            assertEquals(202, forwarded.status(), forwarded.body());
            assertTrue(forwarded.json().path("forwarded").asBoolean(), forwarded.body());
            assertEquals(holder, forwarded.json().path("writer").asText(), forwarded.body());
          }
          for (var f : List.of(a, b)) {
            awaitRound(f, round, Duration.ofSeconds(90));
          }
          searches.lags.add((System.nanoTime() - start) / 1_000_000);
        }
        searches.stop();
        assertEquals(List.of(), List.copyOf(searches.failures), "failed searches");
        assertEquals(List.of(), List.copyOf(searches.mixed), "mixed results");
        assertTrue(searches.count.get() > 40, "searched while switching: " + searches.count);
        // the writer publishes its job for followers' status; once its last sync ends, none (the
        // snapshot of the last commit can reach a follower before the job's end does)
        JsonNode follow = a.get("/api/status").json().path("follow");
        long idleBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!follow.path("writerJob").isNull() && System.nanoTime() < idleBy) {
          Thread.sleep(200);
          follow = a.get("/api/status").json().path("follow");
        }
        assertEquals(0, follow.path("errors").asInt(), follow.toString());
        assertTrue(follow.path("writerStateAt").isTextual(), follow.toString());
        assertTrue(follow.path("writerJob").isNull(), follow.toString());
        assertEquals(0.0, follow.path("lagSeconds").asDouble(), follow.toString());
        String metrics = a.get("/metrics").body();
        assertTrue(metrics.contains("ancla_role_writer 0.0"), metrics);
        assertTrue(metrics.contains("ancla_follow_served_generation"), metrics);
        // the old commits' files are deleted once unused: one commit directory is left
        try (var commits = Files.list(dir.resolve("follower-a/follow/commits"))) {
          assertEquals(1, commits.count());
        }
        assertTrue(
            Files.readString(writer.log).contains("took request"),
            "the writer took the followers' syncs");

        // a new snapshot with a damaged blob: skipped, the previous one keeps serving
        String served = follow.path("served").path("id").asText();
        String damaged = publishDamagedCopy(fixture, served);
        for (var f : List.of(a, b)) {
          JsonNode s =
              f.awaitStatus(
                  x -> x.path("follow").path("errors").asInt() > 0,
                  Duration.ofSeconds(60),
                  "a follow error");
          assertTrue(
              s.path("follow").path("lastError").asText().contains(damaged),
              s.path("follow").toString());
          assertEquals(served, s.path("follow").path("served").path("id").asText());
          assertEquals(Set.of(20), searches.roundsOn(f), "still the last good snapshot");
          assertEquals(200, f.get("/readyz").status());
        }
      } finally {
        searches.stop();
      }
    }
  }

  @Test
  void whenTheWriterIsKilledOneFollowerTakesOverAndTheOldWriterComesBackAsAFollower()
      throws Exception {
    var fixture = new S3Fixture(proxy, "ancla-failover").createBucket();
    Path docs = docs(0);
    Map<String, String> env = env(fixture, docs);
    var searches = new Searches();
    ServeProcess writer = ServeProcess.start("writer", dir, env);
    try (var a = startAfter(writer, "follower-a", env);
        var b = ServeProcess.start("follower-b", dir, env)) {
      for (var f : List.of(a, b)) {
        f.awaitStatus(
            s -> s.path("role").asText().equals("follower"), Duration.ofSeconds(120), "following");
        assertEquals(Set.of(0), searches.roundsOn(f));
      }
      searches.start(List.of(a, b));
      Thread.sleep(500);
      long killed = System.nanoTime();
      writer.sigkill();
      // lease (6 s) + poll (1 s), and opening as the writer on a loaded machine
      ServeProcess next = null;
      long deadline = killed + Duration.ofSeconds(60).toNanos();
      while (next == null && System.nanoTime() < deadline) {
        for (var f : List.of(a, b)) {
          if (f.get("/api/status").json().path("role").asText().equals("writer")) {
            next = f;
          }
        }
        Thread.sleep(100);
      }
      assertNotNull(next, "no follower took over:\n" + a.logText() + "\n" + b.logText());
      long tookMs = (System.nanoTime() - killed) / 1_000_000;
      ServeProcess other = next == a ? b : a;
      Thread.sleep(3_000); // both roles settled: still exactly one writer
      assertEquals("writer", next.get("/api/status").json().path("role").asText());
      assertEquals("follower", other.get("/api/status").json().path("role").asText());
      JsonNode lease = next.get("/api/status").json().path("lease");
      assertTrue(lease.path("held").asBoolean(), lease.toString());
      assertEquals(2, lease.path("epoch").asInt(), lease.toString());

      // the new writer syncs and publishes; the other follower serves it
      writeRound(docs, 1);
      var sync = next.post("/api/sync");
      assertTrue(sync.status() == 202 || sync.status() == 409, sync.body()); // 409: its own sync
      awaitRound(next, 1, Duration.ofSeconds(90));
      awaitRound(other, 1, Duration.ofSeconds(90));
      searches.stop();
      assertEquals(List.of(), List.copyOf(searches.failures), "failed searches");
      assertEquals(List.of(), List.copyOf(searches.mixed), "mixed results");
      JsonNode status = other.get("/api/status").json();
      assertEquals(
          lease.path("holder").asText(),
          status.path("follow").path("writer").path("holder").asText(),
          status.toString());
      assertEquals(4, status.path("documents").asLong(), "as an uninterrupted run: " + status);
      System.out.printf("failover: a follower was the writer %d ms after SIGKILL%n", tookMs);

      // the old writer comes back on its own data directory: it sees the newer epoch and follows
      try (var back = ServeProcess.start("writer", dir, env)) {
        JsonNode s =
            back.awaitStatus(
                x -> x.path("role").asText().equals("follower"), Duration.ofSeconds(120), "role");
        assertEquals(
            lease.path("holder").asText(), s.path("follow").path("writer").path("holder").asText());
        awaitRound(back, 1, Duration.ofSeconds(60));
      }
    } finally {
      searches.stop();
      writer.close();
    }
  }

  @Test
  void twoInstancesBootingAtOnceOnAnEmptyBucketMakeOneWriterAndOneFollower() throws Exception {
    var fixture = new S3Fixture(proxy, "ancla-together").createBucket();
    Path docs = docs(0);
    Map<String, String> env = env(fixture, docs);
    var first = ServeProcess.launch("one", dir, env);
    var second = ServeProcess.launch("two", dir, env);
    try (var one = first.call();
        var two = second.call()) {
      var roles = new java.util.HashMap<String, ServeProcess>();
      for (var p : List.of(one, two)) {
        JsonNode s =
            p.awaitStatus(
                x -> x.path("role").isTextual(), Duration.ofSeconds(180), "an open index");
        roles.put(s.path("role").asText(), p);
      }
      assertEquals(Set.of("writer", "follower"), roles.keySet(), "one of each");
      ServeProcess writer = roles.get("writer");
      ServeProcess follower = roles.get("follower");
      JsonNode published = published(writer, Duration.ofSeconds(180));
      awaitRound(follower, 0, Duration.ofSeconds(60));
      JsonNode lease = published.path("lease");
      // a second writer would have had to take the lease (epoch 2) to publish anything
      assertEquals(1, lease.path("epoch").asInt(), "the lease was taken once: " + lease);
      JsonNode follow = follower.get("/api/status").json().path("follow");
      assertEquals(lease.path("holder").asText(), follow.path("writer").path("holder").asText());
      assertFalse(
          Files.readString(follower.log).contains("job sync-1 started"),
          "the follower indexed nothing");
    }
  }

  /** Starts {@code name} once {@code writer} has published its first snapshot. */
  private ServeProcess startAfter(ServeProcess writer, String name, Map<String, String> env)
      throws Exception {
    published(writer, Duration.ofSeconds(180));
    return ServeProcess.start(name, dir, env);
  }

  /**
   * Publishes a copy of manifest {@code id} under a newer id whose largest file points at a new
   * blob holding that file's bytes with one byte flipped: its content is not its name.
   */
  private static String publishDamagedCopy(S3Fixture fixture, String id) throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    try (var store = fixture.open("team")) {
      var manifest =
          (com.fasterxml.jackson.databind.node.ObjectNode)
              json.readTree(store.read("snapshots/" + id + ".json").orElseThrow().bytes());
      JsonNode largest = null;
      for (JsonNode f : manifest.path("files")) {
        if (largest == null || f.path("size").asLong() > largest.path("size").asLong()) {
          largest = f;
        }
      }
      byte[] bytes;
      try (var in = store.open("blobs/" + largest.path("sha256").asText())) {
        bytes = in.readAllBytes();
      }
      bytes[bytes.length / 2] ^= 0x40;
      String fakeName =
          java.util.HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest((largest.path("sha256").asText() + "damaged").getBytes()));
      Path tmp = Files.createTempFile("damaged", ".bin");
      Files.write(tmp, bytes);
      store.put("blobs/" + fakeName, tmp);
      ((com.fasterxml.jackson.databind.node.ObjectNode) largest).put("sha256", fakeName);
      String newId =
          java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
                  .withZone(java.time.ZoneOffset.UTC)
                  .format(java.time.Instant.now().plusSeconds(1))
              + "-"
              + manifest.path("generation").asLong();
      manifest.put("id", newId);
      manifest.put("time", java.time.Instant.now().plusSeconds(1).toString());
      Path file = Files.createTempFile("manifest", ".json");
      Files.write(file, json.writeValueAsBytes(manifest));
      store.put("snapshots/" + newId + ".json", file);
      return newId;
    }
  }

  /** The store's env and the settings that make a round trip quick. */
  private static Map<String, String> env(S3Fixture fixture, Path docs) {
    var env = new HashMap<>(fixture.env("team"));
    env.put("ANCLA_SOURCES", docs.toString());
    env.put("ANCLA_SNAPSHOT_DEBOUNCE_SECONDS", "0");
    env.put("ANCLA_SNAPSHOT_LEASE_SECONDS", "6");
    env.put("ANCLA_FOLLOW_SECONDS", "1");
    env.put("ANCLA_SYNC_INTERVAL", "off");
    env.put("ANCLA_SNAPSHOT_SCRUB_MB_PER_DAY", "0");
    env.put("ANCLA_CHECKPOINT_CHUNKS", "100000"); // a round is one commit
    env.put("ANCLA_EMBED_THREADS", "1");
    return env;
  }

  private Path docs(int round) throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs/ronda"));
    Files.writeString(
        dir.resolve("docs/faro.md"), "# Faro\n\nEl faro del puerto guía a los barcos de noche.\n");
    writeRound(dir.resolve("docs"), round);
    return docs.getParent();
  }

  private static void writeRound(Path docs, int round) throws Exception {
    String mark = String.format("marca%03d", round);
    Files.writeString(
        docs.resolve("ronda/a.md"), "# Norte\n\nronda " + mark + " gaviotas sobre el faro norte\n");
    Files.writeString(
        docs.resolve("ronda/b.md"), "# Sur\n\nronda " + mark + " barcos en el puerto del sur\n");
    Files.writeString(
        docs.resolve("ronda/c.md"), "# Este\n\nronda " + mark + " arena fina de la playa este\n");
  }

  /** The writer's status once its first snapshot is published. */
  private static JsonNode published(ServeProcess writer, Duration within) throws Exception {
    return writer.awaitStatus(
        s -> !s.path("lastSnapshot").isNull() && !s.path("lastSnapshot").isMissingNode(),
        within,
        "first snapshot");
  }

  private static void awaitRound(ServeProcess f, int round, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    Set<Integer> seen = Set.of();
    while (System.nanoTime() < deadline) {
      try {
        seen = Searches.rounds(f.get(SEARCH).json());
        if (seen.equals(Set.of(round))) {
          return;
        }
      } catch (java.io.IOException e) {
        // the searcher thread counts failures; this one only waits
      }
      Thread.sleep(50);
    }
    fail(f.name + " never served round " + round + " (last: " + seen + ")\n" + f.logText());
  }

  /** Searches the followers without pause on a thread of its own, counting failures and mixes. */
  static final class Searches {
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> mixed = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> lags = new ConcurrentLinkedQueue<>();
    final AtomicInteger count = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;

    void start(List<ServeProcess> targets) {
      running.set(true);
      thread =
          Thread.ofPlatform()
              .start(
                  () -> {
                    int i = 0;
                    while (running.get()) {
                      var f = targets.get(i++ % targets.size());
                      try {
                        var r = f.get(SEARCH);
                        count.incrementAndGet();
                        if (r.status() != 200) {
                          failures.add(f.name + ": " + r.status() + " " + r.body());
                          continue;
                        }
                        check(f.name, r.json());
                      } catch (Exception e) {
                        if (running.get()) {
                          failures.add(f.name + ": " + e);
                        }
                      }
                    }
                  });
    }

    private void check(String name, JsonNode body) {
      var marks = new ArrayList<Integer>();
      for (JsonNode hit : body.path("results")) {
        Matcher m = MARK.matcher(hit.path("text").asText());
        if (m.find()) {
          marks.add(Integer.parseInt(m.group(1)));
        }
      }
      if (marks.size() != 3 || new TreeSet<>(marks).size() != 1) {
        mixed.add(name + ": " + marks);
      }
    }

    Set<Integer> roundsOn(ServeProcess f) throws Exception {
      return rounds(f.get(SEARCH).json());
    }

    static Set<Integer> rounds(JsonNode body) {
      var marks = new TreeSet<Integer>();
      for (JsonNode hit : body.path("results")) {
        Matcher m = MARK.matcher(hit.path("text").asText());
        if (m.find()) {
          marks.add(Integer.parseInt(m.group(1)));
        }
      }
      return marks;
    }

    void stop() throws InterruptedException {
      running.set(false);
      if (thread != null) {
        thread.join(60_000);
      }
    }
  }
}
