package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.Ancla;
import dev.ancla.testing.TestAncla;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifests are never overwritten, so snapshots in the same millisecond need distinct ids. */
class ManifestIdTest {
  @TempDir Path dir;

  @Test
  void snapshotsOfOneCommitAtTheSameInstantGetDistinctManifests() throws Exception {
    Path docs = Corpus.write(dir.resolve("docs"));
    Path folder = Files.createDirectories(dir.resolve("snapshots"));
    var config =
        Corpus.config(dir.resolve("data"), docs, Map.of("ANCLA_SNAPSHOT_URL", folder.toString()));
    Clock frozen = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    var parts = TestAncla.parts(config);
    try (var ancla =
        Ancla.openForWriting(config, new Ancla.Parts(parts.embedder(), parts.parser(), frozen))) {
      Corpus.sync(ancla);
      var mirror = ancla.snapshots().orElseThrow();
      var first = mirror.snapshot().manifest();
      var second = mirror.snapshot().manifest();
      assertEquals(first.generation(), second.generation());
      assertNotEquals(first.id(), second.id());
      assertTrue(second.id().compareTo(first.id()) > 0, "ids sort by time: " + second.id());
    }
  }
}
