package dev.ancla.server;

import static dev.ancla.server.TestServer.ADMIN;
import static dev.ancla.server.TestServer.bearer;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server indexes new files and new sources by itself, without anyone clicking Sync. */
class ScheduledSyncTest {
  @TempDir Path dir;

  @Test
  void aFileAddedAfterStartIsIndexedByTheScheduledSync() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    TestServer.corpus(docs, 2, 5);
    try (var s =
        TestServer.open(
            dir.resolve("data"), docs, "ANCLA_ADMIN_TOKEN", ADMIN, "ANCLA_SYNC_INTERVAL", "1s")) {
      s.awaitIdle(Duration.ofMinutes(1)); // the first index
      Files.writeString(docs.resolve("nuevo.md"), "# Nuevo\n\nLa zarzamora crece junto al faro.\n");
      awaitFound(s, "zarzamora", "nuevo.md");
    }
  }

  @Test
  void aRestartWithANewSourceIndexesItAtBoot() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    TestServer.corpus(docs, 2, 6);
    Path data = dir.resolve("data");
    try (var s =
        TestServer.open(data, docs, "ANCLA_ADMIN_TOKEN", ADMIN, "ANCLA_SYNC_INTERVAL", "off")) {
      s.awaitIdle(Duration.ofMinutes(1));
    }
    // the same sources: the index is up to date, no sync at boot
    try (var s =
        TestServer.open(data, docs, "ANCLA_ADMIN_TOKEN", ADMIN, "ANCLA_SYNC_INTERVAL", "off")) {
      Thread.sleep(1_000);
      var status = s.get("/api/status", bearer(ADMIN)).json();
      assertTrue(status.path("job").isNull(), status.toString());
      assertTrue(status.path("lastJob").isNull(), status.toString());
    }
    Path other = Files.createDirectories(dir.resolve("otra"));
    Files.writeString(other.resolve("frambuesa.md"), "# Frutas\n\nLa frambuesa madura en julio.\n");
    String both = docs + "," + other;
    // scheduled syncs off: only the boot sync can index the new folder
    try (var s =
        TestServer.open(
            data, Path.of(both), "ANCLA_ADMIN_TOKEN", ADMIN, "ANCLA_SYNC_INTERVAL", "off")) {
      awaitFound(s, "frambuesa", "frambuesa.md");
    }
  }

  private static void awaitFound(TestServer s, String word, String path) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      var response = s.get("/api/search?q=" + word);
      last = response.body();
      if (response.status() == 200 && last.contains(path)) return;
      Thread.sleep(100);
    }
    fail(path + " was never found by searching " + word + ": " + last);
  }
}
