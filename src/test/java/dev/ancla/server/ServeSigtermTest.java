package dev.ancla.server;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.cli.Main;
import dev.ancla.index.DataDirLock;
import dev.ancla.testing.ChildJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ancla serve` in a real child JVM, stopped with SIGTERM while it indexes. */
class ServeSigtermTest {
  private static final int BUDGET_SECONDS = 20;
  @TempDir Path dir;

  @Test
  void sigtermDuringIndexingExitsWithinTheBudgetWithItsWorkCommitted() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    TestServer.corpus(docs, 60, 4);
    Path data = dir.resolve("data");
    Path index = data.resolve("index");
    Path out = dir.resolve("out.txt");
    Path log = dir.resolve("err.txt");
    Process p =
        serve(
            data,
            docs,
            out,
            log,
            Map.of(
                "ANCLA_CHECKPOINT_CHUNKS", "6",
                "ANCLA_EMBED_THREADS", "2",
                "ANCLA_PARSE_THREADS", "1"));
    try {
      URI base = awaitUrl(p, out);
      var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      long deadline = System.currentTimeMillis() + 60_000;
      while (generation(index) < 2 && p.isAlive() && System.currentTimeMillis() < deadline) {
        Thread.sleep(5);
      }
      assertTrue(p.isAlive(), "serve stopped by itself: " + Files.readString(log));
      var ready =
          client.send(
              HttpRequest.newBuilder(base.resolve("/readyz")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ready.statusCode(), "ready while indexing in the background");

      String err = sigtermWithinBudget(p, log);
      assertTrue(err.contains("stopped in"), err);
      assertFalse(err.contains("did not stop within"), err);
    } finally {
      p.destroyForcibly();
    }
    var commit = lastCommitData(index);
    assertEquals("building", commit.get("state"), "a stopped sync is not complete");
    assertTrue(Long.parseLong(commit.get("documents")) > 0, "work done before SIGTERM is kept");
    try (var lock = DataDirLock.acquire(data)) {
      assertNotNull(lock, "the data directory is free again");
    }
  }

  @Test
  void sigtermDuringAReindexExitsWithinTheBudgetAndLeavesTheOldIndex() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    TestServer.corpus(docs, 120, 6); // enough that the reindex is still running at SIGTERM
    Path data = dir.resolve("data");
    Path index = data.resolve("index");
    try (var ancla = dev.ancla.testing.TestAncla.open(data, docs)) {
      assertTrue(
          ancla.sync().sync(new dev.ancla.sync.ProgressTracker(System::nanoTime)).complete());
    }
    Map<String, String> before = lastCommitData(index);
    Path model = Files.createDirectories(dir.resolve("model"));
    dev.ancla.testing.TestModel.writeBundledModelTo(model);
    Path out = dir.resolve("out.txt");
    Path log = dir.resolve("err.txt");
    Process p =
        serve(
            data,
            docs,
            out,
            log,
            Map.of(
                "ANCLA_MODEL_DIR", model.toString(),
                "ANCLA_MODEL_POOLING", "cls",
                "ANCLA_MODEL_MAX_TOKENS", "256",
                "ANCLA_EMBED_THREADS", "1"));
    try {
      awaitUrl(p, out);
      long deadline = System.currentTimeMillis() + 60_000;
      while (!Files.readString(log).contains("job reindex-1 started")
          && p.isAlive()
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      Thread.sleep(300); // into the re-embedding
      assertTrue(p.isAlive(), "serve stopped by itself: " + Files.readString(log));

      String err = sigtermWithinBudget(p, log);
      assertTrue(err.contains("reindex stopped after"), err);
      assertTrue(err.contains("stopped in"), err);
    } finally {
      p.destroyForcibly();
    }
    assertEquals(before, lastCommitData(index), "the old index, as it was");
  }

  /** The user data of the index's last commit, read from disk with Lucene alone. */
  private static Map<String, String> lastCommitData(Path index) throws Exception {
    try (var fs = FSDirectory.open(index);
        var reader = DirectoryReader.open(fs)) {
      return reader.getIndexCommit().getUserData();
    }
  }

  /** `ancla serve` in a child JVM on a free loopback port, with {@code extra} variables. */
  private static Process serve(Path data, Path docs, Path out, Path log, Map<String, String> extra)
      throws Exception {
    var env = new java.util.HashMap<>(extra);
    env.put("ANCLA_DATA_DIR", data.toString());
    env.put("ANCLA_SOURCES", docs.toString());
    env.put("ANCLA_HOST", "127.0.0.1");
    env.put("ANCLA_PORT", "0");
    env.put("ANCLA_SHUTDOWN_SECONDS", String.valueOf(BUDGET_SECONDS));
    return ChildJvm.builder(Main.class, env, "serve")
        .redirectOutput(out.toFile())
        .redirectError(log.toFile())
        .start();
  }

  /** Sends SIGTERM, checks that the process ended within the budget; returns its log. */
  private static String sigtermWithinBudget(Process p, Path log) throws Exception {
    long stopAt = System.nanoTime();
    p.destroy(); // SIGTERM
    assertTrue(p.waitFor(BUDGET_SECONDS + 10, TimeUnit.SECONDS), "still running after SIGTERM");
    long millis = (System.nanoTime() - stopAt) / 1_000_000;
    assertTrue(millis < BUDGET_SECONDS * 1000L, "stopped in " + millis + " ms");
    return Files.readString(log);
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

  private static long generation(Path index) throws Exception {
    if (!Files.isDirectory(index)) {
      return -1;
    }
    try (Stream<Path> files = Files.list(index)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("segments_"))
          .mapToLong(n -> Long.parseLong(n.substring("segments_".length()), Character.MAX_RADIX))
          .max()
          .orElse(-1);
    }
  }
}
