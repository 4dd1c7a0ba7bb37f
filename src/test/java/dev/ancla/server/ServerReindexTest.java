package dev.ancla.server;

import static dev.ancla.server.TestServer.ADMIN;
import static dev.ancla.server.TestServer.bearer;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.Ancla;
import dev.ancla.index.CommitInfo;
import dev.ancla.index.IndexStore;
import dev.ancla.sync.ProgressTracker;
import dev.ancla.testing.TestAncla;
import dev.ancla.testing.TestModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/reindex} and the reindex that serve starts by itself after a model change. */
class ServerReindexTest {
  @TempDir Path dir;

  private Path indexedWithTheBundledModel(Path data) throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    TestServer.corpus(docs, 12, 5);
    try (Ancla ancla = TestAncla.open(data, docs)) {
      assertTrue(ancla.sync().sync(new ProgressTracker(System::nanoTime)).complete());
    }
    return docs;
  }

  private static CommitInfo lastCommit(Path data) throws Exception {
    try (var store = IndexStore.openReadOnly(data.resolve("index"))) {
      return store.lastCommit().orElseThrow();
    }
  }

  @Test
  void reindexAnswersWhatItWillDoAndReportsWhatItDid() throws Exception {
    Path data = dir.resolve("data");
    Path docs = indexedWithTheBundledModel(data);
    long chunks = lastCommit(data).chunks();
    try (var s = TestServer.open(data, docs, "ANCLA_ADMIN_TOKEN", ADMIN)) {
      var upToDate = s.post("/api/reindex", bearer(ADMIN));
      assertEquals(409, upToDate.status(), upToDate.body());
      assertTrue(upToDate.error().contains("already embedded"), upToDate.body());
      assertTrue(upToDate.error().contains("force=true"), upToDate.body());

      var bad = s.post("/api/reindex?force=yes", bearer(ADMIN));
      assertEquals(400, bad.status(), bad.body());
      assertTrue(bad.error().contains("force"), bad.body());
      var unknown = s.post("/api/reindex?model=other", bearer(ADMIN));
      assertEquals(400, unknown.status(), unknown.body());

      var started = s.post("/api/reindex?force=true", bearer(ADMIN));
      assertEquals(202, started.status(), started.body());
      assertEquals("reindex", started.json().path("job").path("kind").asText());

      JsonNode last = s.awaitIdle(Duration.ofMinutes(2));
      assertEquals("reindex", last.path("kind").asText(), last.toString());
      assertEquals("complete", last.path("state").asText(), last.toString());
      JsonNode report = last.path("report");
      assertEquals(12, report.path("documents").asInt(), report.toString());
      assertEquals(
          chunks, report.path("chunksEmbedded").asLong() + report.path("chunksReused").asLong());
      // the model did not change: the rebuild keeps every vector instead of embedding again
      assertEquals(0, report.path("chunksEmbedded").asLong(), report.toString());

      String metrics = s.get("/metrics").body();
      assertTrue(
          metrics.contains("ancla_reindex_duration_seconds_count{outcome=\"complete\"} 1"),
          metrics);
      assertEquals(200, s.get("/api/search?q=faro").status());
    }
  }

  @Test
  void anotherModelAtBootIsReindexedInTheBackgroundWhileSearchesGoOn() throws Exception {
    Path data = dir.resolve("data");
    Path docs = indexedWithTheBundledModel(data);
    CommitInfo before = lastCommit(data);
    try (var s = TestServer.start(TestModel::other, data, docs, "ANCLA_ADMIN_TOKEN", ADMIN)) {
      s.server.open();
      assertEquals(200, s.get("/readyz").status(), "ready at once, with the old index");
      var search = s.get("/api/search?q=lorem&k=3");
      assertEquals(200, search.status(), search.body());

      JsonNode last = s.awaitIdle(Duration.ofMinutes(2));
      assertEquals("reindex", last.path("kind").asText(), last.toString());
      assertEquals("complete", last.path("state").asText(), last.toString());
      JsonNode status = s.get("/api/status", bearer(ADMIN)).json();
      assertEquals(
          TestModel.other().info().fingerprint(),
          status.path("modelFingerprint").asText(),
          status.toString());
      assertEquals(before.chunks(), status.path("chunks").asLong(), status.toString());
    }
    CommitInfo after = lastCommit(data);
    assertEquals(TestModel.other().info().fingerprint(), after.modelFingerprint());
    assertEquals(before.documents(), after.documents());
  }

  @Test
  void anEmptyIndexHasNothingToReindex() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("empty"));
    try (var s = TestServer.open(dir.resolve("data"), docs, "ANCLA_ADMIN_TOKEN", ADMIN)) {
      s.awaitIdle(Duration.ofMinutes(1));
      var r = s.post("/api/reindex", bearer(ADMIN));
      assertEquals(409, r.status(), r.body());
      assertTrue(r.error().contains("nothing to reindex"), r.body());
    }
  }
}
