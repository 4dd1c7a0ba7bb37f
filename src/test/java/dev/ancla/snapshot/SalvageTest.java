package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.BootOutcome;
import dev.ancla.config.Config;
import dev.ancla.index.RegistryEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The last resort of a restore, with a real index, model and folder store: a blob of the only
 * snapshot damaged in place, the writer gone. Restore keeps the segments that arrived intact,
 * removes what it lost from the registry, and the next sync brings back exactly what was lost.
 */
class SalvageTest {
  @TempDir Path dir;
  private Path docs;
  private Path data;
  private Path folder;
  private Config config;

  @BeforeEach
  void setUp() throws Exception {
    docs = Corpus.write(dir.resolve("docs"));
    data = dir.resolve("data");
    folder = Files.createDirectories(dir.resolve("snapshots"));
    config = Corpus.config(data, docs, Map.of("ANCLA_SNAPSHOT_URL", folder.toString()));
  }

  /**
   * Flips the middle byte of the largest file of {@code m} that {@code which} accepts, in the
   * store, and empties the data directory: a new machine over a damaged bucket.
   */
  private Manifest.FileEntry damage(
      Manifest m, java.util.function.Predicate<Manifest.FileEntry> which) throws Exception {
    var victim =
        m.files().stream()
            .filter(which)
            .max(java.util.Comparator.comparingLong(Manifest.FileEntry::size))
            .orElseThrow(() -> new AssertionError("no such file in " + m.files()));
    Path blob = folder.resolve(victim.blobKey());
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 0x20;
    Files.write(blob, bytes);
    Restorer.deleteTree(data);
    return victim;
  }

  private static List<String> paths(dev.ancla.Ancla ancla) throws Exception {
    return ancla.store().registryEntries(e -> true).stream().map(RegistryEntry::path).toList();
  }

  @Test
  void aDamagedSegmentIsDroppedAndTheNextSyncIndexesWhatItHeldAgain() throws Exception {
    Manifest only;
    List<String> before;
    try (var ancla = Corpus.open(config)) {
      Corpus.sync(ancla); // segment _0: the first three files
      Corpus.add(docs, "gofio.txt", "El gofio canario es harina de cereales tostados.");
      Corpus.sync(ancla); // segment _1: gofio alone
      only = ancla.snapshots().orElseThrow().snapshot().manifest();
      before = Corpus.search(ancla, "gofio harina tostada");
    }
    assertTrue(before.getFirst().contains("gofio"), before.toString());
    var segmentOne = damage(only, f -> f.name().startsWith("_1") && !f.name().endsWith(".si"));

    try (var ancla = Corpus.open(config)) {
      var boot = assertInstanceOf(BootOutcome.Restored.class, ancla.boot());
      assertTrue(boot.why().contains("salvaged snapshot " + only.id()), boot.why());
      assertEquals(List.of("paella.txt", "sigterm.md", "teide.md"), paths(ancla), "gofio was lost");
      var data0 = ancla.store().lastCommit().orElseThrow().raw();
      assertEquals(only.id(), data0.get("salvaged.from"));
      assertEquals("1", data0.get("salvaged.documents_lost"));
      assertTrue(
          data0.keySet().stream().noneMatch(k -> k.endsWith(".synced_at")),
          "the next sync lists every source in full: " + data0.keySet());
      assertTrue(
          DamageReports.list(new FolderBlobStore(folder)).containsKey(segmentOne.blobKey()),
          "the damage is reported for a writer to see");

      Corpus.sync(ancla);
      var after = ancla.store().registryEntries(e -> true).stream().map(RegistryEntry::path);
      assertEquals(List.of("gofio.txt", "paella.txt", "sigterm.md", "teide.md"), after.toList());
      assertEquals(before, Corpus.search(ancla, "gofio harina tostada"));
      assertFalse(
          ancla.store().lastCommit().orElseThrow().raw().containsKey("salvaged.from"),
          "a complete sync clears the salvage");
    }
  }

  /**
   * A registry entry rewritten alone (same bytes, new time) lives in another segment than its
   * chunks: when the chunks' segment is lost the entry must go too, or the sync would think the
   * file indexed and never bring its chunks back.
   */
  @Test
  void anEntryWhoseChunksWereInTheDroppedSegmentIsRemovedSoTheSyncIndexesItAgain()
      throws Exception {
    Manifest only;
    List<String> before;
    try (var ancla = Corpus.open(config)) {
      Corpus.sync(ancla); // _0: paella, sigterm, teide
      Files.setLastModifiedTime(
          docs.resolve("teide.md"),
          java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
      Corpus.add(docs, "gofio.txt", "El gofio canario es harina de cereales tostados.");
      Corpus.sync(ancla); // _1: teide's entry alone (same bytes), gofio
      only = ancla.snapshots().orElseThrow().snapshot().manifest();
      before = Corpus.search(ancla, "volcán de Tenerife");
    }
    damage(only, f -> f.name().startsWith("_0") && !f.name().endsWith(".si"));

    try (var ancla = Corpus.open(config)) {
      assertEquals(List.of("gofio.txt"), paths(ancla), "teide's entry went with its chunks");
      assertEquals(
          "3", ancla.store().lastCommit().orElseThrow().raw().get("salvaged.documents_lost"));
      Corpus.sync(ancla);
      var after = ancla.store().registryEntries(e -> true).stream().map(RegistryEntry::path);
      assertEquals(List.of("gofio.txt", "paella.txt", "sigterm.md", "teide.md"), after.toList());
      assertEquals(before, Corpus.search(ancla, "volcán de Tenerife"));
    }
  }

  @Test
  void withEverySegmentDamagedNothingIsSalvagedAndBootRefusesAnEmptyIndex() throws Exception {
    Manifest only;
    try (var ancla = Corpus.open(config)) {
      Corpus.sync(ancla);
      only = ancla.snapshots().orElseThrow().snapshot().manifest();
    }
    damage(only, f -> true);
    var e = assertThrows(Restorer.NothingRestorableException.class, () -> Corpus.open(config));
    assertTrue(e.getMessage().contains("every segment has a damaged file"), e.getMessage());
    assertFalse(Files.exists(data.resolve("index")));
    assertFalse(Files.exists(data.resolve("index.restoring")));
  }
}
