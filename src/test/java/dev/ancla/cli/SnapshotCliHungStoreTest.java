package dev.ancla.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.snapshot.SilentStore;
import dev.ancla.testing.TestAncla;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ancla snapshot ...` and the boot restore against a store that never answers or refuses. */
class SnapshotCliHungStoreTest {
  private static final String SECRET = "hung-Secret-Value-0123456789abcdefghij";
  @TempDir Path dir;

  record Result(int exit, String err, Duration took) {}

  private Result run(Map<String, String> env, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var context =
        new CliContext(
            env, new PrintWriter(out, true), new PrintWriter(err, true), false, TestAncla::parts);
    long start = System.nanoTime();
    int exit = Main.run(context, args);
    return new Result(exit, err.toString(), Duration.ofNanos(System.nanoTime() - start));
  }

  private Map<String, String> env(String... pairs) throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs")); // empty: no model to load
    return new HashMap<>(TestAncla.env(dir.resolve("data"), docs, pairs));
  }

  private Map<String, String> store(URI endpoint) throws Exception {
    return env(
        "ANCLA_SNAPSHOT_URL", "s3://ancla-backups/prod",
        "ANCLA_S3_ENDPOINT", endpoint.toString(),
        "ANCLA_S3_PATH_STYLE", "true",
        "AWS_ACCESS_KEY_ID", "AKIAHUNGSTOREKEY0001",
        "AWS_SECRET_ACCESS_KEY", SECRET,
        "ANCLA_SNAPSHOT_CONNECT_TIMEOUT_SECONDS", "1",
        "ANCLA_SNAPSHOT_REQUEST_TIMEOUT_SECONDS", "1",
        "ANCLA_SNAPSHOT_TOTAL_TIMEOUT_SECONDS", "1");
  }

  private static void failsClearly(Result result, String... expected) {
    assertEquals(1, result.exit(), result.err());
    assertTrue(result.took().compareTo(Duration.ofSeconds(6)) < 0, result.took() + result.err());
    assertTrue(result.err().contains("s3://ancla-backups/prod"), result.err());
    assertFalse(result.err().contains(SECRET), result.err());
    assertFalse(result.err().contains("null"), result.err());
    for (String text : expected) {
      assertTrue(result.err().contains(text), result.err());
    }
  }

  @Test
  void everySnapshotCommandAndTheBootRestoreFailWithinTheTimeouts() throws Exception {
    assertEquals(0, run(env(), "init").exit(), "a local index, made without a store");
    try (var silent = new SilentStore()) {
      var env = store(silent.uri());
      failsClearly(run(env, "snapshot", "list"), "did not answer in time");
      failsClearly(run(env, "snapshot", "create"), "did not answer in time");
      deleteTree(dir.resolve("data"));
      failsClearly(run(env, "snapshot", "restore"), "did not answer in time");
      failsClearly(run(env, "init"), "did not answer in time"); // the boot restore
      assertFalse(Files.exists(dir.resolve("data/index")), "no empty index was started");
    }
  }

  private static void deleteTree(Path root) throws Exception {
    try (var paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  @Test
  void aRefusedConnectionSaysSo() throws Exception {
    var env = store(SilentStore.refused());
    failsClearly(run(env, "snapshot", "list"), "connection refused");
  }

  @Test
  void blankKeysAreAConfigurationErrorBeforeAnyCall() throws Exception {
    var env =
        env(
            "ANCLA_SNAPSHOT_URL", "s3://ancla-backups/prod",
            "AWS_ACCESS_KEY_ID", "",
            "AWS_SECRET_ACCESS_KEY", "");
    Result result = run(env, "snapshot", "list");
    assertEquals(2, result.exit(), result.err());
    assertTrue(result.err().contains("AWS_ACCESS_KEY_ID is set but empty"), result.err());
    assertTrue(result.err().length() < 1200, "no SDK dump: " + result.err());
    assertFalse(result.err().contains("169.254"), result.err());
    assertTrue(result.took().compareTo(Duration.ofSeconds(3)) < 0, "no metadata address tried");
  }
}
