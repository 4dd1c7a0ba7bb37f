package dev.ancla.index;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.query.Filter;
import dev.ancla.query.RetrievalSettings;
import dev.ancla.query.SearchHit;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every index backend must do for sync, status and retrieval (ARCHITECTURE.md decision 17):
 * the same assertions run on the local Lucene index and on a SolrCloud collection. Each backend's
 * test extends this and says how to open a fresh index and how to reopen the same one, as a restart
 * would.
 */
abstract class ChunkIndexContract {
  /** One opened index: the write side and the retrieval side over the same data. */
  protected record Backend(ChunkIndex index, ChunkSearch search, java.io.Closeable closer)
      implements java.io.Closeable {
    @Override
    public void close() throws java.io.IOException {
      closer.close();
    }
  }

  /** An empty index, new for each test. */
  protected abstract Backend open() throws Exception;

  /**
   * The index {@link #open} returned, opened again after it was closed without a commit: what a
   * process started after a crash would see.
   */
  protected abstract Backend reopen() throws Exception;

  private final List<Backend> opened = new ArrayList<>();

  private Backend fresh() throws Exception {
    Backend b = open();
    opened.add(b);
    return b;
  }

  private Backend again(Backend old) throws Exception {
    old.close();
    opened.remove(old);
    Backend b = reopen();
    opened.add(b);
    return b;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (Backend b : opened) {
      b.close();
    }
  }

  // four-dimensional unit vectors: the nearest neighbours are known exactly
  private static final float[] EAST = {1, 0, 0, 0};
  private static final float[] NORTH = {0, 1, 0, 0};
  private static final float[] NORTH_EAST = {0.6f, 0.8f, 0, 0};
  private static final float[] UP = {0, 0, 1, 0};

  static RegistryEntry entry(String source, String path, int chunks) {
    return entry(source, path, chunks, RegistryEntry.Status.OK, Optional.empty());
  }

  static RegistryEntry entry(
      String source, String path, int chunks, RegistryEntry.Status status, Optional<URI> link) {
    return new RegistryEntry(
        source,
        "id-" + path,
        path,
        RegistryEntry.folderVersion(10, 1000),
        10,
        Optional.empty(),
        link,
        "content-" + path,
        status,
        status == RegistryEntry.Status.OK ? Optional.empty() : Optional.of("encrypted"),
        chunks,
        "text/plain",
        "",
        false,
        1,
        2,
        3);
  }

  static ChunkRecord chunk(int ordinal, String text, String heading, float[] vector) {
    return new ChunkRecord(ordinal, text, heading, ordinal + 1, "hash-" + text, vector);
  }

  private static List<String> texts(ChunkSearch.View view, List<Ranked> ranked)
      throws java.io.IOException {
    var result = new ArrayList<String>();
    for (Ranked r : ranked) {
      result.add(view.hit(r).text());
    }
    return result;
  }

  @Test
  void aCommitKeepsItsMetadataAndExactCountsAcrossARestart() throws Exception {
    Backend b = fresh();
    assertEquals(Optional.empty(), b.index().lastCommit());
    b.index()
        .write(
            entry("docs", "guia.txt", 2),
            List.of(chunk(0, "el ancla reabre", "", EAST), chunk(1, "otra parte", "", NORTH)));
    b.index()
        .write(
            entry("docs", "roto.pdf", 0, RegistryEntry.Status.FAILED, Optional.empty()), List.of());
    CommitInfo info = b.index().commit(Map.of("model.fingerprint", "fp-1", "cursor.docs", "c-7"));
    assertEquals("fp-1", info.raw().get("model.fingerprint"));
    assertEquals(1, info.documents());
    assertEquals(2, info.chunks());
    assertEquals(1, info.failed());

    b = again(b);
    CommitInfo after = b.index().lastCommit().orElseThrow();
    assertEquals("fp-1", after.modelFingerprint());
    assertEquals("c-7", after.raw().get("cursor.docs"));
    assertEquals(info.chunks(), after.chunks());
    assertEquals(new ChunkIndex.Counts(1, 2, 1, 0), b.index().counts());
  }

  @Test
  void afterARestartTheLastCommitsMetadataHoldsAndNoFileIsHalfWritten() throws Exception {
    Backend b = fresh();
    b.index().write(entry("docs", "a.txt", 1), List.of(chunk(0, "primero", "", EAST)));
    b.index().commit(Map.of("cursor.docs", "1"));
    b.index()
        .write(
            entry("docs", "b.txt", 2),
            List.of(chunk(0, "segundo", "", NORTH), chunk(1, "tercero", "", UP)));
    b.index().delete(entry("docs", "a.txt", 1).docKey());
    b.index().refresh();
    assertEquals(List.of("id-b.txt"), List.copyOf(b.index().registry("docs").keySet()));

    b = again(b);
    // the sync resumes from this cursor, so it redoes whatever came after it
    assertEquals("1", b.index().lastCommit().orElseThrow().raw().get("cursor.docs"));
    // uncommitted writes may be lost (Lucene) or kept for the next commit (Solr's update log),
    // but each file whole: its entry with all its chunks, or nothing of it
    Map<String, RegistryEntry> registry = b.index().registry("docs");
    for (String path : List.of("a.txt", "b.txt")) {
      RegistryEntry e = registry.get("id-" + path);
      int stored = b.index().chunkTexts(entry("docs", path, 0).docKey(), 10).size();
      assertEquals(e == null ? 0 : e.chunks(), stored, path);
    }
    ChunkIndex.Counts counts = b.index().counts();
    assertEquals(registry.size(), counts.documents());
    assertEquals(registry.values().stream().mapToInt(RegistryEntry::chunks).sum(), counts.chunks());
  }

  @Test
  void aStateIsDurableOnlyWithTheCommitAfterItAndNeverSeenAsAFile() throws Exception {
    Backend b = fresh();
    b.index().write(entry("docs", "a.txt", 1), List.of(chunk(0, "primero", "", EAST)));
    b.index().putState("source.docs.state", "mapa-1");
    assertEquals(Optional.of("mapa-1"), b.index().state("source.docs.state"), "seen at once");
    b.index().commit(Map.of("cursor.docs", "1"));
    String big = "x".repeat(200_000); // a folder map of thousands of folders
    b.index().putState("source.docs.state", big);
    b.index().putState("source.otra.state", "otra-1");
    b.index().write(entry("docs", "b.txt", 1), List.of(chunk(0, "segundo", "", NORTH)));
    b.index().refresh();
    assertEquals(Optional.of(big), b.index().state("source.docs.state"));

    b = again(b); // a crash before the next commit: the state goes back with the cursor
    assertEquals("1", b.index().lastCommit().orElseThrow().raw().get("cursor.docs"));
    assertEquals(Optional.of("mapa-1"), b.index().state("source.docs.state"));
    assertEquals(Optional.empty(), b.index().state("source.otra.state"));

    b.index().putState("source.docs.state", big);
    CommitInfo info = b.index().commit(Map.of("cursor.docs", "2"));
    b = again(b);
    assertEquals(Optional.of(big), b.index().state("source.docs.state"));
    assertEquals("2", b.index().lastCommit().orElseThrow().raw().get("cursor.docs"));
    // no count or registry sees a state
    Map<String, RegistryEntry> registry = b.index().registry("docs");
    assertEquals(registry.size(), info.documents());
    assertEquals(b.index().counts().documents(), registry.size());
    assertEquals(registry.size(), b.index().registryEntries(e -> true).size());
    assertEquals(
        registry.values().stream().mapToInt(RegistryEntry::chunks).sum(),
        b.index().counts().chunks());
  }

  @Test
  void aWriteReplacesEveryChunkOfItsFile() throws Exception {
    Backend b = fresh();
    b.index()
        .write(
            entry("docs", "a.txt", 3),
            List.of(
                chunk(0, "uno", "", EAST), chunk(1, "dos", "", NORTH), chunk(2, "tres", "", UP)));
    b.index().commit(Map.of());
    b.index().write(entry("docs", "a.txt", 1), List.of(chunk(0, "nuevo", "Título", NORTH_EAST)));
    b.index().commit(Map.of());

    String key = entry("docs", "a.txt", 1).docKey();
    assertEquals(
        List.of(new ChunkIndex.ChunkText(0, "nuevo", "Título", 1)), b.index().chunkTexts(key, 10));
    assertEquals(1, b.index().registry("docs").get("id-a.txt").chunks());
    assertEquals(new ChunkIndex.Counts(1, 1, 0, 0), b.index().counts());
    b.search()
        .withView(
            view -> {
              assertEquals(
                  List.of(), view.words("dos", Filter.NONE, 10, RetrievalSettings.DEFAULTS));
              return null;
            });
  }

  @Test
  void theLegsOfOneSearchReturnWhatEachListReturnsAlone() throws Exception {
    Backend b = fresh();
    b.index()
        .write(
            entry("docs", "a.txt", 2),
            List.of(chunk(0, "ballena azul", "Mar", EAST), chunk(1, "ballenas grises", "", NORTH)));
    b.index().write(entry("docs", "b.txt", 1), List.of(chunk(0, "delfín azul", "", NORTH_EAST)));
    b.index().commit(Map.of());
    var settings = RetrievalSettings.DEFAULTS;
    b.search()
        .withView(
            view -> {
              // handles come from the first view to see a chunk, so the legs run first here
              List<List<Ranked>> all =
                  view.search(
                      new Legs(
                          "ballena azul",
                          Filter.NONE,
                          10,
                          settings,
                          true,
                          true,
                          Optional.of(() -> EAST)));
              assertEquals(
                  List.of(
                      view.words("ballena azul", Filter.NONE, 10, settings),
                      view.ngrams("ballena azul", Filter.NONE, 10, settings),
                      view.vectors(EAST, Filter.NONE, 10)),
                  all);
              assertEquals(3, texts(view, all.get(2)).size());
              assertEquals(
                  List.of(view.ngrams("ballena azul", Filter.NONE, 10, settings)),
                  view.search(
                      new Legs(
                          "ballena azul",
                          Filter.NONE,
                          10,
                          settings,
                          false,
                          true,
                          Optional.empty())));
              // a failing leg fails the search with its own exception, after the others ended
              var failure =
                  assertThrows(
                      IllegalStateException.class,
                      () ->
                          view.search(
                              new Legs(
                                  "ballena",
                                  Filter.NONE,
                                  10,
                                  settings,
                                  true,
                                  true,
                                  Optional.of(
                                      () -> {
                                        throw new IllegalStateException("no model");
                                      }))));
              assertEquals("no model", failure.getMessage());
              return null;
            });
  }

  @Test
  void aDeleteRemovesTheEntryAndItsChunks() throws Exception {
    Backend b = fresh();
    b.index().write(entry("docs", "a.txt", 1), List.of(chunk(0, "ballena azul", "", EAST)));
    b.index().write(entry("docs", "b.txt", 1), List.of(chunk(0, "ballena gris", "", NORTH)));
    b.index().commit(Map.of());
    b.index().delete(entry("docs", "a.txt", 1).docKey());
    b.index().commit(Map.of());

    assertEquals(List.of("id-b.txt"), List.copyOf(b.index().registry("docs").keySet()));
    assertEquals(List.of(), b.index().chunkTexts(entry("docs", "a.txt", 1).docKey(), 10));
    b.search()
        .withView(
            view -> {
              assertEquals(
                  List.of("ballena gris"),
                  texts(view, view.words("ballena", Filter.NONE, 10, RetrievalSettings.DEFAULTS)));
              assertEquals(
                  List.of("ballena gris"), texts(view, view.vectors(EAST, Filter.NONE, 10)));
              return null;
            });
  }

  @Test
  void theRegistryAnswersBySourceByPathAndByStatus() throws Exception {
    Backend b = fresh();
    b.index().write(entry("docs", "a/uno.txt", 1), List.of(chunk(0, "uno", "", EAST)));
    b.index().write(entry("drive", "b/dos.txt", 1), List.of(chunk(0, "dos", "", NORTH)));
    RegistryEntry failed =
        entry("drive", "c/roto.pdf", 0, RegistryEntry.Status.FAILED, Optional.empty());
    b.index().write(failed, List.of());
    b.index().commit(Map.of());

    assertEquals(Map.of("id-a/uno.txt", entry("docs", "a/uno.txt", 1)), b.index().registry("docs"));
    assertEquals(2, b.index().registry("drive").size());
    assertEquals(
        Optional.of(entry("drive", "b/dos.txt", 1)),
        b.index().registryEntryAt("drive", "b/dos.txt"));
    assertEquals(Optional.empty(), b.index().registryEntryAt("docs", "b/dos.txt"));
    assertEquals(
        List.of("a/uno.txt", "b/dos.txt", "c/roto.pdf"),
        b.index().registryEntries(e -> true).stream().map(RegistryEntry::path).toList());
    assertEquals(List.of(failed), b.index().registryEntries(RegistryEntry.Status.FAILED, 10));
    assertEquals(List.of(), b.index().registryEntries(RegistryEntry.Status.SKIPPED, 10));
  }

  @Test
  void aRelocationKeepsTextsAndVectorsUnderTheNewPath() throws Exception {
    Backend b = fresh();
    RegistryEntry before = entry("docs", "viejo/a.txt", 2);
    b.index()
        .write(
            before,
            List.of(chunk(0, "faro del puerto", "Costa", EAST), chunk(1, "muelle", "", NORTH)));
    b.index().commit(Map.of());
    RegistryEntry moved =
        new RegistryEntry(
            before.source(),
            before.id(),
            "nuevo/a.txt",
            before.version(),
            before.size(),
            before.contentHint(),
            before.link(),
            before.contentHash(),
            before.status(),
            before.error(),
            before.chunks(),
            before.mediaType(),
            before.title(),
            before.truncated(),
            before.parseMillis(),
            before.embedMillis(),
            before.indexedAtMillis());
    assertTrue(b.index().relocate(moved));
    b.index().commit(Map.of());

    assertEquals(Optional.of(moved), b.index().registryEntryAt("docs", "nuevo/a.txt"));
    assertEquals(Optional.empty(), b.index().registryEntryAt("docs", "viejo/a.txt"));
    b.search()
        .withView(
            view -> {
              List<Ranked> near = view.vectors(EAST, Filter.NONE, 10);
              SearchHit top = view.hit(near.getFirst());
              assertEquals("nuevo/a.txt", top.path());
              assertEquals("faro del puerto", top.text());
              assertEquals("Costa", top.heading());
              assertEquals(1.0, top.score(), 1e-5);
              return null;
            });
    // a moved entry whose chunk count does not match what is stored is not relocated
    RegistryEntry wrong = entry("docs", "otro.txt", 5);
    assertFalse(b.index().relocate(wrong));
  }

  @Test
  void pinnedVectorsOutliveADeleteAndSeeLaterWrites() throws Exception {
    Backend b = fresh();
    b.index().write(entry("docs", "a.txt", 1), List.of(chunk(0, "antes", "", NORTH_EAST)));
    b.index().commit(Map.of());
    try (var pinned = b.index().pinVectors()) {
      b.index().delete(entry("docs", "a.txt", 1).docKey());
      b.index().write(entry("docs", "b.txt", 1), List.of(chunk(0, "después", "", UP)));
      b.index().refresh();
      assertArrayEquals(NORTH_EAST, pinned.byTextHash("hash-antes").orElseThrow(), 1e-6f);
      assertArrayEquals(UP, pinned.byTextHash("hash-después").orElseThrow(), 1e-6f);
      assertEquals(Optional.empty(), pinned.byTextHash("hash-nunca"));
    }
  }

  @Test
  void eachListRanksChunksOnlyAndResolvesToTheirStoredFields() throws Exception {
    Backend b = fresh();
    b.index()
        .write(
            entry("docs", "manual/vacaciones.pdf", 2, RegistryEntry.Status.OK, Optional.empty()),
            List.of(
                chunk(0, "Las vacaciones se piden con un mes de antelación", "Permisos", EAST),
                chunk(1, "El comedor abre a las doce", "Servicios", NORTH)));
    b.index()
        .write(
            entry(
                "drive",
                "informes/faro.txt",
                1,
                RegistryEntry.Status.OK,
                Optional.of(URI.create("https://drive.example/file/7"))),
            List.of(chunk(0, "El faro guía a los barcos de noche", "", NORTH_EAST)));
    b.index().commit(Map.of());

    b.search()
        .withView(
            view -> {
              var settings = RetrievalSettings.DEFAULTS;
              List<Ranked> words = view.words("vacaciones", Filter.NONE, 10, settings);
              assertEquals(1, words.size());
              SearchHit hit = view.hit(words.getFirst());
              assertEquals(
                  new SearchHit(
                      "docs",
                      "manual/vacaciones.pdf",
                      0,
                      words.getFirst().score(),
                      "Las vacaciones se piden con un mes de antelación",
                      "Permisos",
                      1,
                      "",
                      "id-manual/vacaciones.pdf"), // the item id, not the path: see SearchHit
                  hit);
              assertTrue(hit.score() > 0);

              // a word cut short still shares most of its 3-grams
              assertEquals(
                  List.of("El comedor abre a las doce"),
                  texts(view, view.ngrams("comedo", Filter.NONE, 10, settings)).subList(0, 1));
              // the heading counts for words
              assertEquals(
                  List.of("El comedor abre a las doce"),
                  texts(view, view.words("servicios", Filter.NONE, 10, settings)));

              List<Ranked> near = view.vectors(EAST, Filter.NONE, 10);
              assertEquals(
                  List.of(
                      "Las vacaciones se piden con un mes de antelación",
                      "El faro guía a los barcos de noche",
                      "El comedor abre a las doce"),
                  texts(view, near));
              // (1 + dot product) / 2: dot products 1, 0.6 and 0
              assertEquals(1.0, near.get(0).score(), 1e-5);
              assertEquals(0.8, near.get(1).score(), 1e-5);
              assertEquals(0.5, near.get(2).score(), 1e-5);
              assertEquals("https://drive.example/file/7", view.hit(near.get(1)).link());
              assertEquals(2, view.vectors(EAST, Filter.NONE, 2).size());
              // stop words alone match nothing, and nothing fails
              assertEquals(List.of(), view.words("el de la", Filter.NONE, 10, settings));
              return null;
            });
  }

  @Test
  void filtersRestrictEveryList() throws Exception {
    Backend b = fresh();
    b.index()
        .write(
            entry("docs", "manual/faro.pdf", 1),
            List.of(chunk(0, "faro rojo en el puerto", "", EAST)));
    b.index()
        .write(entry("docs", "notas/faro.txt", 1), List.of(chunk(0, "faro verde", "", NORTH_EAST)));
    b.index()
        .write(entry("drive", "manual/faro.txt", 1), List.of(chunk(0, "faro azul", "", NORTH)));
    b.index().commit(Map.of());

    var settings = RetrievalSettings.DEFAULTS;
    Map<Filter, List<String>> expected =
        Map.of(
            Filter.NONE.withSource("drive"), List.of("faro azul"),
            Filter.NONE.withPathPrefix("manual/"), List.of("faro rojo en el puerto", "faro azul"),
            Filter.NONE.withExtension(".PDF"), List.of("faro rojo en el puerto"),
            Filter.NONE.withSource("docs").withExtension("txt"), List.of("faro verde"),
            Filter.NONE.withSource("nadie"), List.of());
    b.search()
        .withView(
            view -> {
              for (var e : expected.entrySet()) {
                Filter f = e.getKey();
                var want = e.getValue().stream().sorted().toList();
                assertEquals(
                    want,
                    texts(view, view.words("faro", f, 10, settings)).stream().sorted().toList(),
                    f.toString());
                assertEquals(
                    want,
                    texts(view, view.ngrams("faro", f, 10, settings)).stream().sorted().toList(),
                    f.toString());
                assertEquals(
                    want,
                    texts(view, view.vectors(EAST, f, 10)).stream().sorted().toList(),
                    f.toString());
              }
              return null;
            });
  }

  @Test
  void commitListenersHearEachCommit() throws Exception {
    Backend b = fresh();
    var heard = new CopyOnWriteArrayList<CommitInfo>();
    b.index().onCommit(heard::add);
    b.index().write(entry("docs", "a.txt", 1), List.of(chunk(0, "uno", "", EAST)));
    CommitInfo first = b.index().commit(Map.of("cursor.docs", "1"));
    CommitInfo second = b.index().commit(Map.of("cursor.docs", "2"));
    assertEquals(List.of(first, second), heard);
    assertTrue(second.generation() > first.generation());
    assertTrue(b.index().sizeOnDisk() > 0);
  }
}
