package dev.ancla.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.index.RegistryEntry;
import dev.ancla.testing.ChildJvm;
import dev.ancla.testing.RandomCorpus;
import dev.ancla.testing.TestAncla;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that kills the indexer is not retried forever: a real child JVM is killed with SIGKILL
 * while it is on one file, twice; the third run records that file as failed ("crashed") without
 * touching it and indexes the rest. Without the crash ledger the third run would hang on the file
 * again, as every restart of a container platform would.
 */
class PoisonFileTest {
  @TempDir Path dir;

  @Test
  void aFileInFlightAtTwoDeathsIsFailedAndTheRestIsIndexed() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    RandomCorpus.write(docs, 8, 21);
    Files.writeString(docs.resolve("veneno.md"), "# Veneno\n\nEste archivo mata al indexador.\n");
    Path data = dir.resolve("data");
    Path marker = dir.resolve("marker.txt");

    for (int death = 1; death <= 2; death++) {
      Process child = child(data, docs, marker).start();
      long deadline = System.currentTimeMillis() + 60_000;
      while (lines(marker) < death && child.isAlive() && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(death, lines(marker), "the child never reached the file: " + log());
      child.destroyForcibly(); // SIGKILL on Linux
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }

    Process third = child(data, docs, marker).start();
    if (!third.waitFor(120, TimeUnit.SECONDS)) {
      third.destroyForcibly().waitFor();
      fail("the third run hung on the file again: " + log());
    }
    assertEquals(0, third.exitValue(), log());
    assertEquals(2, lines(marker), "the third run must not parse the file");

    try (var ancla = TestAncla.open(data, docs)) {
      Map<String, RegistryEntry> registry =
          ancla.store().registryEntries(e -> true).stream()
              .collect(Collectors.toMap(RegistryEntry::path, Function.identity()));
      assertEquals(9, registry.size(), registry.keySet().toString());
      RegistryEntry poison = registry.get("veneno.md");
      assertEquals(RegistryEntry.Status.FAILED, poison.status());
      assertTrue(poison.error().orElse("").startsWith("crashed: "), poison.toString());
      assertFalse(poison.contentHash().isEmpty(), "hashed, so only a real change retries it");
      for (RegistryEntry e : registry.values()) {
        if (e != poison) assertEquals(RegistryEntry.Status.OK, e.status(), e.toString());
      }
      assertFalse(Files.exists(data.resolve("in-flight.tsv")), "nothing left in flight");
      // the failure stands until the file changes; then it is tried again
      SyncReport again = ancla.sync().sync(new ProgressTracker(System::nanoTime));
      assertEquals(0, again.added() + again.changed());
    }
  }

  private ProcessBuilder child(Path data, Path docs, Path marker) throws IOException {
    return ChildJvm.builder(
            PoisonFileMain.class,
            Map.of(),
            data.toString(),
            docs.toString(),
            "veneno.md",
            marker.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("child.log").toFile()));
  }

  private static int lines(Path marker) throws IOException {
    return Files.exists(marker) ? Files.readAllLines(marker).size() : 0;
  }

  private String log() throws IOException {
    Path log = dir.resolve("child.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
