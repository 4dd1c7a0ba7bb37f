package dev.ancla.index;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexStoreTest {
  @TempDir Path dir;

  static RegistryEntry entry(String path, int chunks) {
    return new RegistryEntry(
        "docs",
        path,
        path,
        dev.ancla.index.RegistryEntry.folderVersion(10, 1000),
        10,
        Optional.empty(),
        Optional.empty(),
        "hash-" + path,
        RegistryEntry.Status.OK,
        Optional.empty(),
        chunks,
        "text/plain",
        "",
        false,
        1,
        2,
        3);
  }

  static ChunkRecord chunk(int ordinal, String text, float... vector) {
    return new ChunkRecord(ordinal, text, "", 0, "h-" + text, vector);
  }

  private IndexStore open() throws Exception {
    return IndexStore.openForWriting(dir, Analyzers.forLanguage(Config.Language.ES));
  }

  /** A rebuild replaces every file's documents; the sources' states (Drive's folder map) stay. */
  @Test
  void aRebuildKeepsTheStatesAndAnAbandonedOneChangesNothing() throws Exception {
    try (var store = open()) {
      store.write(entry("guía.txt", 1), List.of(chunk(0, "Ancla reabre el índice", 0.6f, 0.8f)));
      store.putState("source.drive.state", "mapa-1");
      store.commit(Map.of("source.drive.cursor", "gd2:v1:7"));
      try (var rebuild = store.beginRebuild()) {
        rebuild.add(entry("guía.txt", 1), List.of(chunk(0, "Ancla reabre el índice", 1, 0)));
      } // abandoned
      assertEquals(Optional.of("mapa-1"), store.state("source.drive.state"));
      try (var rebuild = store.beginRebuild()) {
        rebuild.commit(Map.of("source.drive.cursor", "gd2:v1:7")); // every file dropped
      }
      assertEquals(new ChunkIndex.Counts(0, 0, 0, 0), store.counts());
    }
    try (var store = open()) {
      assertEquals(Optional.of("mapa-1"), store.state("source.drive.state"));
    }
  }

  @Test
  void aCommitIsOnDiskWithItsDataAndCounts() throws Exception {
    try (var store = open()) {
      store.write(
          entry("guía.txt", 2),
          List.of(chunk(0, "Ancla reabre el índice", 0.6f, 0.8f), chunk(1, "otro", 1, 0)));
      store.commit(Map.of("model.fingerprint", "abc", "state", "complete"));
    }
    try (var fs = FSDirectory.open(dir);
        var reader = DirectoryReader.open(fs)) {
      Map<String, String> data = reader.getIndexCommit().getUserData();
      assertEquals("abc", data.get("model.fingerprint"));
      assertEquals("1", data.get("documents"));
      assertEquals("2", data.get("chunks"));
      assertEquals(String.valueOf(IndexSchema.VERSION), data.get("schema"));
      var searcher = new IndexSearcher(reader);
      assertEquals(2, searcher.count(new TermQuery(new Term(IndexSchema.KIND, "chunk"))));
      // the Spanish analyzer folds accents and stems: "indices" finds "índice"
      assertEquals(1, searcher.count(new TermQuery(new Term(IndexSchema.TEXT, "indic"))));
    }
  }

  @Test
  void uncommittedWritesAreLostOnClose() throws Exception {
    try (var store = open()) {
      store.write(entry("a.txt", 1), List.of(chunk(0, "uno", 1, 0)));
      store.commit(Map.of());
      store.write(entry("b.txt", 1), List.of(chunk(0, "dos", 0, 1)));
    }
    try (var store = open()) {
      assertEquals(new IndexStore.Counts(1, 1, 0, 0), store.counts());
    }
  }

  @Test
  void writingAFileAgainReplacesAllItsChunks() throws Exception {
    try (var store = open()) {
      store.write(
          entry("a.txt", 3),
          List.of(chunk(0, "x", 1, 0), chunk(1, "y", 1, 0), chunk(2, "z", 1, 0)));
      store.write(entry("b.txt", 1), List.of(chunk(0, "w", 0, 1)));
      store.commit(Map.of());
      store.write(entry("a.txt", 1), List.of(chunk(0, "nuevo", 0, 1)));
      store.commit(Map.of());
      assertEquals(new IndexStore.Counts(2, 2, 0, 0), store.counts());
      assertEquals(1, store.registry("docs").get("a.txt").chunks());
      store.delete("docs:b.txt");
      store.commit(Map.of());
      assertEquals(new IndexStore.Counts(1, 1, 0, 0), store.counts());
      assertEquals(List.of("a.txt"), List.copyOf(store.registry("docs").keySet()));
    }
  }

  @Test
  void anEntryWrittenBeforeItemIdsReadsItsPathAsIdAndItsSizeAndTimeAsVersion() throws Exception {
    try (var store = open()) {
      store.write(entry("informes/a.txt", 1), List.of(chunk(0, "uno", 1, 0)));
      store.commit(Map.of());
    }
    SchemaOneIndex.downgrade(dir);
    try (var store = open()) {
      RegistryEntry old = store.registry("docs").get("informes/a.txt");
      assertEquals("informes/a.txt", old.id());
      assertEquals("informes/a.txt", old.path());
      assertEquals(RegistryEntry.folderVersion(10, 1000), old.version());
      assertEquals("docs:informes/a.txt", old.docKey(), "the key older indexes used");
      assertTrue(old.link().isEmpty() && old.contentHint().isEmpty());
      // and the old chunks move with a rename, vectors kept
      assertTrue(
          store.relocate(
              old.asListed("b.txt", old.version(), 10, Optional.empty(), Optional.empty())));
      store.commit(Map.of());
      assertEquals("b.txt", store.registry("docs").get("informes/a.txt").path());
      assertEquals(1, store.counts().chunks());
    }
  }

  @Test
  void registryEntriesRoundTrip() throws Exception {
    var failed =
        new RegistryEntry(
            "docs",
            "bad.pdf",
            "bad.pdf",
            dev.ancla.index.RegistryEntry.folderVersion(5, 77),
            5,
            Optional.empty(),
            Optional.empty(),
            "h",
            RegistryEntry.Status.FAILED,
            Optional.of("encrypted: the PDF is password-protected"),
            0,
            "application/pdf",
            "T",
            true,
            12,
            0,
            99);
    try (var store = open()) {
      store.write(failed, List.of());
      store.commit(Map.of());
      assertEquals(failed, store.registry("docs").get("bad.pdf"));
      assertEquals(List.of(failed), store.registryEntries(RegistryEntry.Status.FAILED, 10));
      assertEquals(List.of(), store.registryEntries(RegistryEntry.Status.OK, 10));
      assertEquals(new IndexStore.Counts(0, 0, 1, 0), store.counts());
    }
  }

  @Test
  void storedVectorsAreFoundByTextHash() throws Exception {
    try (var store = open()) {
      store.write(entry("a.txt", 1), List.of(chunk(0, "hola", 0.6f, 0.8f)));
      store.commit(Map.of());
      var found = store.search(s -> StoredVectors.byTextHash(s.getIndexReader(), "h-hola"));
      assertArrayEquals(new float[] {0.6f, 0.8f}, found.orElseThrow());
      assertTrue(
          store.search(s -> StoredVectors.byTextHash(s.getIndexReader(), "h-nada")).isEmpty());
      store.delete("docs:a.txt");
      store.refresh();
      assertTrue(
          store.search(s -> StoredVectors.byTextHash(s.getIndexReader(), "h-hola")).isEmpty());
    }
  }

  @Test
  void readOnlyOpenSeesTheLastCommitAndRefusesWritesMappedOrNot() throws Exception {
    try (var store = open()) {
      store.write(entry("a.txt", 1), List.of(chunk(0, "hola", 1, 0)));
      store.commit(Map.of("state", "complete"));
      for (Reads reads : Reads.values()) {
        try (var reader = IndexStore.openReadOnly(dir, reads)) {
          assertEquals(1, reader.counts().chunks(), reads.name());
          assertTrue(reader.lastCommit().orElseThrow().complete(), reads.name());
          assertArrayEquals(
              new float[] {1, 0},
              reader
                  .search(s -> StoredVectors.byTextHash(s.getIndexReader(), "h-hola"))
                  .orElseThrow(),
              reads.name());
          assertThrows(IllegalStateException.class, () -> reader.delete("docs:a.txt"));
        }
      }
    }
  }

  @Test
  void readOnlyOpenOfNothingSaysHowToBuildAnIndex() {
    var e =
        assertThrows(
            java.nio.file.NoSuchFileException.class,
            () -> IndexStore.openReadOnly(dir.resolve("none")));
    assertTrue(e.getMessage().contains("ancla init"));
  }
}
