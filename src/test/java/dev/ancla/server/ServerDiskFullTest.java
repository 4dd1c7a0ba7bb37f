package dev.ancla.server;

import static dev.ancla.server.TestServer.ADMIN;
import static dev.ancla.server.TestServer.bearer;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.testing.FullDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up while `serve` runs: the server says so (not writable, with the path and the
 * free space) and takes writes again by itself once space returns, without a restart.
 */
class ServerDiskFullTest {
  @TempDir Path dir;

  private static JsonNode awaitWritable(TestServer s, boolean writable) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode ready = null;
    while (System.nanoTime() < deadline) {
      ready = s.get("/readyz").json();
      if (ready.path("writable").asBoolean() == writable) {
        return ready;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("writable never became " + writable + ": " + ready);
  }

  @Test
  void aFullDiskIsReportedAndTheWriterComesBackWhenSpaceReturns() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    // empty files: entries with no chunks (nothing to embed), which the index still writes
    Files.writeString(docs.resolve("teide.md"), "");
    var disk = new AtomicReference<FullDisk>();
    try (var s =
        TestServer.start(
            dir.resolve("data"),
            docs,
            d -> {
              var full = new FullDisk(d, ((FSDirectory) d).getDirectory());
              disk.set(full);
              return full;
            },
            "ANCLA_ADMIN_TOKEN",
            ADMIN)) {
      s.server.open();
      assertEquals("complete", s.awaitIdle(Duration.ofMinutes(2)).path("state").asText());
      Path index = ((FSDirectory) disk.get().getDelegate()).getDirectory();
      assertTrue(awaitWritable(s, true).path("writable").asBoolean());

      disk.get().fill();
      Files.writeString(docs.resolve("paella.txt"), "");
      assertEquals(202, s.post("/api/sync", bearer(ADMIN)).status());
      JsonNode failed = s.awaitIdle(Duration.ofMinutes(2));
      assertEquals("failed", failed.path("state").asText(), failed.toString());
      assertTrue(failed.path("error").asText().contains(index.toString()), failed.toString());
      assertTrue(failed.path("error").asText().contains("free at least"), failed.toString());

      JsonNode ready = s.get("/readyz").json();
      assertTrue(ready.path("ready").asBoolean(), "searches go on: " + ready);
      assertFalse(ready.path("writable").asBoolean(), ready.toString());
      JsonNode error = ready.path("writeError");
      assertEquals(index.toString(), error.path("path").asText(), ready.toString());
      assertEquals(0, error.path("freeBytes").asLong(), ready.toString());
      assertTrue(error.path("neededBytes").asLong() >= 64L << 20, ready.toString());
      assertTrue(
          error.path("error").asText().contains("No space left on device"), ready.toString());
      JsonNode status = s.get("/api/status", bearer(ADMIN)).json();
      assertEquals(index.toString(), status.path("indexWriteError").path("path").asText());
      assertEquals(
          200, s.get("/api/search?q=Teide", bearer(ADMIN)).status(), "the last commit is searched");

      disk.get().free(); // no restart from here on
      awaitWritable(s, true);
      JsonNode redone = s.awaitIdle(Duration.ofMinutes(2));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      JsonNode documents = s.get("/api/documents", bearer(ADMIN)).json();
      while (documents.path("total").asInt() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        documents = s.get("/api/documents", bearer(ADMIN)).json();
      }
      assertEquals(2, documents.path("total").asInt(), redone + " " + documents);
      assertTrue(s.get("/api/status", bearer(ADMIN)).json().path("indexWriteError").isNull());
    }
  }
}
