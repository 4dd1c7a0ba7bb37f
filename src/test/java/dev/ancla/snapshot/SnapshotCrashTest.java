package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.cli.Main;
import dev.ancla.config.Config;
import dev.ancla.testing.ChildJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real child JVMs against S3Proxy in this process: `snapshot create` killed with SIGKILL at random
 * moments, and `serve` stopped with SIGTERM, which publishes a final snapshot.
 */
class SnapshotCrashTest {
  @RegisterExtension final S3ProxyExtension proxy = S3Fixture.newProxy();
  @TempDir Path dir;

  @Test
  void sigkillDuringSnapshotCreateNeverLeavesAManifestWithoutItsBlobs() throws Exception {
    var fixture = new S3Fixture(proxy, "ancla-crash").createBucket();
    Path docs = Corpus.write(dir.resolve("docs"));
    Path data = dir.resolve("data");
    Config config = Corpus.config(data, docs, fixture.env("crash"));
    String first;
    try (var ancla = Corpus.open(config)) {
      Corpus.sync(ancla);
      first = ancla.snapshots().orElseThrow().snapshot().manifest().id();
    }
    var env = new HashMap<>(fixture.env("crash"));
    env.put("ANCLA_DATA_DIR", data.toString());
    env.put("ANCLA_SOURCES", docs.toString());
    long seed = System.nanoTime();
    var random = new Random(seed);
    try (BlobStore store = fixture.open("crash")) {
      for (int run = 0; run < 4; run++) {
        Corpus.add(
            docs,
            "nota-" + run + ".md",
            "# Nota " + run + "\n\n" + "marea alta en el puerto ".repeat(40 + run));
        try (var ancla = Corpus.open(config)) {
          Corpus.sync(ancla); // new segment files: the next snapshot has blobs to upload
        }
        long killAfter = 300 + random.nextInt(2700);
        Process p =
            ChildJvm.builder(Main.class, env, "snapshot", "create", "--take-over")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + run + ".txt").toFile())
                .start();
        try {
          p.waitFor(killAfter, TimeUnit.MILLISECONDS);
        } finally {
          p.destroyForcibly(); // SIGKILL, wherever it is
          p.waitFor(30, TimeUnit.SECONDS);
        }
        String context = "run " + run + ", killed after " + killAfter + " ms (seed " + seed + ")";
        List<String> ids = Manifest.ids(store);
        assertTrue(ids.contains(first), context);
        for (String id : ids) {
          Manifest m = Manifest.load(store, id);
          for (var f : m.files()) {
            assertTrue(store.exists(f.blobKey()), context + ": " + id + " lacks " + f.name());
          }
        }
        var restorer = new Restorer(store, 2);
        restorer.restore(first, dir.resolve("restore-first-" + run + "/index"));
        var newest = restorer.restoreNewest(dir.resolve("restore-newest-" + run + "/index"));
        assertTrue(newest.isPresent(), context);
      }
    }
  }

  @Test
  void sigtermOnServePublishesTheNewestCommitWithinTheBudget() throws Exception {
    var fixture = new S3Fixture(proxy, "ancla-sigterm").createBucket();
    Path docs = Corpus.write(dir.resolve("docs"));
    Path data = dir.resolve("data");
    var env = new HashMap<>(fixture.env("serve"));
    env.putAll(
        Map.of(
            "ANCLA_DATA_DIR", data.toString(),
            "ANCLA_SOURCES", docs.toString(),
            "ANCLA_HOST", "127.0.0.1",
            "ANCLA_PORT", "0",
            "ANCLA_ADMIN_TOKEN", "admin-token-0123456789",
            "ANCLA_SNAPSHOT_DEBOUNCE_SECONDS", "3600",
            "ANCLA_SNAPSHOT_SHUTDOWN_SECONDS", "15",
            "ANCLA_SHUTDOWN_SECONDS", "30"));
    Path out = dir.resolve("out.txt");
    Path log = dir.resolve("err.txt");
    Process p =
        ChildJvm.builder(Main.class, env, "serve")
            .redirectOutput(out.toFile())
            .redirectError(log.toFile())
            .start();
    try (BlobStore store = fixture.open("serve")) {
      URI base = awaitUrl(p, out);
      var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      long deadline = System.currentTimeMillis() + 90_000;
      String status = "";
      while (System.currentTimeMillis() < deadline && p.isAlive()) {
        var request =
            HttpRequest.newBuilder(base.resolve("/api/status"))
                .header("Authorization", "Bearer admin-token-0123456789")
                .build();
        status = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
        if (status.contains("\"state\":\"complete\"") && status.contains("\"job\":null")) {
          break;
        }
        Thread.sleep(50);
      }
      assertTrue(status.contains("\"held\":true"), status);
      assertEquals(List.of(), Manifest.ids(store), "debounced for an hour: nothing published yet");

      long stopAt = System.nanoTime();
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(40, TimeUnit.SECONDS), "still running after SIGTERM");
      long millis = (System.nanoTime() - stopAt) / 1_000_000;
      String err = Files.readString(log);
      assertTrue(millis < 30_000, "stopped in " + millis + " ms");
      assertTrue(err.contains("stopped in"), err);
      List<String> ids = Manifest.ids(store);
      assertEquals(1, ids.size(), err);
      try (var fs = FSDirectory.open(data.resolve("index"));
          var reader = DirectoryReader.open(fs)) {
        assertEquals(
            reader.getIndexCommit().getGeneration(),
            Manifest.load(store, ids.getFirst()).generation());
      }
      var lease = WriterLease.peek(store).orElseThrow();
      assertFalse(
          java.time.Instant.parse(lease.expiresAt()).isAfter(java.time.Instant.now()),
          "released on exit, so the next instance need not wait: " + lease);
    } finally {
      p.destroyForcibly();
    }
  }

  private static URI awaitUrl(Process p, Path out) throws Exception {
    var pattern = Pattern.compile("ancla serving on (http://\\S+)");
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline && p.isAlive()) {
      var m = pattern.matcher(Files.readString(out));
      if (m.find()) {
        return URI.create(m.group(1));
      }
      Thread.sleep(20);
    }
    throw new AssertionError("serve printed no URL: " + Files.readString(out));
  }
}
