package dev.ancla.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.testing.TestAncla;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ancla snapshot ...` as a user runs it, against a folder store. */
class SnapshotCliTest {
  @TempDir Path dir;

  record Result(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }
  }

  private Result run(Map<String, String> env, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var context =
        new CliContext(
            env, new PrintWriter(out, true), new PrintWriter(err, true), false, TestAncla::parts);
    return new Result(Main.run(context, args), out.toString(), err.toString());
  }

  private Map<String, String> env(String... pairs) throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(docs.resolve("teide.md"), "# Teide\n\nEl Teide es un volcán de Tenerife.");
    Files.writeString(docs.resolve("paella.txt"), "La paella valenciana lleva arroz y azafrán.");
    var env = new HashMap<>(TestAncla.env(dir.resolve("data"), docs, pairs));
    return env;
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  @Test
  void createListVerifyRestoreAndPrune() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("backups"));
    var env = env("ANCLA_SNAPSHOT_URL", folder.toString(), "ANCLA_SNAPSHOT_KEEP", "2");
    assertEquals(0, run(env, "init").exit());

    Result create = run(env, "snapshot", "create", "--json");
    assertEquals(0, create.exit(), create.err());
    JsonNode first = create.json();
    for (String field : new String[] {"id", "files", "bytes", "uploadedBytes", "seconds"}) {
      assertTrue(first.has(field), field + " in " + create.out());
    }
    assertEquals(first.get("bytes").asLong(), first.get("uploadedBytes").asLong());
    JsonNode second = run(env, "snapshot", "create", "--json").json();
    assertEquals(0, second.get("uploadedBytes").asLong());

    Result list = run(env, "snapshot", "list", "--json");
    assertEquals(0, list.exit(), list.err());
    JsonNode snapshots = list.json().get("snapshots");
    assertEquals(2, snapshots.size());
    assertEquals(second.get("id").asText(), snapshots.get(0).get("id").asText(), "newest first");
    for (String field : new String[] {"id", "time", "bytes", "documents", "chunks"}) {
      assertTrue(snapshots.get(0).has(field), field);
    }
    assertEquals(2, snapshots.get(0).get("documents").asInt());

    Result verify = run(env, "snapshot", "verify", "--json");
    assertEquals(0, verify.exit(), verify.out() + verify.err());
    assertTrue(verify.json().get("ok").asBoolean());

    Result refused = run(env, "snapshot", "restore");
    assertEquals(1, refused.exit());
    assertTrue(refused.err().contains("never overwrites"), refused.err());

    deleteTree(dir.resolve("data"));
    Result restore = run(env, "snapshot", "restore", "--json", "--id", first.get("id").asText());
    assertEquals(0, restore.exit(), restore.err());
    assertEquals(first.get("id").asText(), restore.json().get("id").asText());
    Result status = run(env, "status", "--json");
    assertEquals(2, status.json().get("documents").asInt());

    Result third = run(env, "snapshot", "create", "--json");
    assertEquals(0, third.exit(), third.err());
    assertEquals(
        2,
        run(env, "snapshot", "list", "--json").json().get("snapshots").size(),
        "keep 2 after create");
    Result prune = run(env, "snapshot", "prune", "--json");
    assertEquals(0, prune.exit(), prune.err());
    assertTrue(prune.json().has("blobsDeleted"));
  }

  @Test
  void verifyReportsADamagedBlobAndExitsOne() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("backups"));
    var env = env("ANCLA_SNAPSHOT_URL", folder.toString());
    run(env, "init");
    assertEquals(0, run(env, "snapshot", "create").exit());
    Path blob;
    try (Stream<Path> blobs = Files.list(folder.resolve("blobs"))) {
      blob = blobs.max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 1;
    Files.write(blob, bytes);
    Result verify = run(env, "snapshot", "verify");
    assertEquals(1, verify.exit());
    assertTrue(verify.out().contains("SHA-256 mismatch"), verify.out());

    Result scrub = run(env, "snapshot", "verify", "--all", "--json");
    assertEquals(0, scrub.exit(), scrub.out() + scrub.err());
    JsonNode report = scrub.json();
    assertEquals(1, report.get("damaged").size(), scrub.out());
    assertEquals(
        "blobs/" + blob.getFileName(), report.get("repaired").get(0).asText(), "from the index");
    assertEquals(0, report.get("unrepaired").size());
    assertEquals(0, run(env, "snapshot", "verify").exit(), "whole again");

    // a blob the local index no longer holds cannot be repaired: reported, its snapshot marked bad
    deleteTree(dir.resolve("data"));
    Files.createDirectories(dir.resolve("data"));
    bytes = Files.readAllBytes(blob);
    bytes[1] ^= 1;
    Files.write(blob, bytes);
    Result unrepaired = run(env, "snapshot", "verify", "--all", "--json");
    assertEquals(1, unrepaired.exit(), unrepaired.out() + unrepaired.err());
    assertEquals(1, unrepaired.json().get("unrepaired").size(), unrepaired.out());
    assertEquals(1, unrepaired.json().get("markedBad").size(), unrepaired.out());
    Result list = run(env, "snapshot", "list", "--json");
    assertTrue(list.json().get("snapshots").get(0).get("bad").asBoolean(), list.out());
  }

  @Test
  void statusReportsTheNewestSnapshotThatVerifiesAndSaysWhenNoneDoes() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("backups"));
    var env = env("ANCLA_SNAPSHOT_URL", folder.toString());
    run(env, "init");
    JsonNode first = run(env, "snapshot", "create", "--json").json();
    assertTrue(first.get("verified").asBoolean(), first.toString());
    JsonNode status = run(env, "status", "--json").json();
    assertEquals(first.get("id").asText(), status.get("lastSnapshot").get("id").asText());
    assertTrue(status.get("snapshotIntegrity").get("restorable").asBoolean(), status.toString());

    Path blob;
    try (Stream<Path> blobs = Files.list(folder.resolve("blobs"))) {
      blob = blobs.max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
    Files.write(blob, java.util.Arrays.copyOf(Files.readAllBytes(blob), 10)); // truncated
    status = run(env, "status", "--json").json();
    assertTrue(status.get("lastSnapshot").isNull(), status.toString());
    assertFalse(status.get("snapshotIntegrity").get("restorable").asBoolean());
    assertEquals(
        first.get("id").asText(),
        status.get("snapshotIntegrity").get("badSnapshots").get(0).asText());
    Result text = run(env, "status");
    assertTrue(text.out().contains("NONE RESTORABLE"), text.out());
    JsonNode repaired = run(env, "snapshot", "create", "--json").json();
    assertTrue(repaired.get("verified").asBoolean(), repaired.toString());
    assertEquals(1, repaired.get("repairedBlobs").asInt(), repaired.toString());
    assertTrue(
        run(env, "status")
            .out()
            .contains("last verified snapshot: " + repaired.get("id").asText()));
  }

  @Test
  void anUnreachableStoreAtBootExitsNonZeroAndPublishesNothing() throws Exception {
    var env =
        env(
            "ANCLA_SNAPSHOT_URL", "s3://ancla-backups/prod",
            "ANCLA_S3_ENDPOINT", "http://127.0.0.1:1",
            "AWS_ACCESS_KEY_ID", "AKIAUNREACHABLE00001",
            "AWS_SECRET_ACCESS_KEY", "unreachable-Secret-Value-0000000000000000");
    Result init = run(env, "init");
    assertEquals(1, init.exit());
    assertTrue(init.err().contains("s3://ancla-backups/prod"), init.err());
    assertTrue(init.err().contains("ANCLA_S3_ENDPOINT"), init.err());
    assertFalse(init.err().contains("unreachable-Secret-Value"), init.err());
    assertFalse(Files.exists(dir.resolve("data/index")), "no empty index was started");
  }

  @Test
  void snapshotCommandsWithoutAUrlAreConfigurationErrors() throws Exception {
    Result result = run(env(), "snapshot", "list");
    assertEquals(2, result.exit());
    assertTrue(result.err().contains("ANCLA_SNAPSHOT_URL is not set"), result.err());
  }

  @Test
  void createWithoutAnIndexSaysHowToBuildOne() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("backups"));
    Result result = run(env("ANCLA_SNAPSHOT_URL", folder.toString()), "snapshot", "create");
    assertEquals(1, result.exit());
    assertTrue(result.err().contains("ancla init"), result.err());
  }
}
