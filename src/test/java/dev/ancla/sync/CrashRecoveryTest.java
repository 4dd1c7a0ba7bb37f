package dev.ancla.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.cli.Main;
import dev.ancla.index.IndexSchema;
import dev.ancla.index.StoredVectors;
import dev.ancla.testing.ChildJvm;
import dev.ancla.testing.RandomCorpus;
import dev.ancla.testing.TestAncla;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Indexing in a real child JVM, killed with SIGKILL at several moments (early, while parsing and
 * loading the model; right after checkpoints, mid-embedding; while a commit is being written),
 * restarted each time, must end equal to a clean run: same documents, same chunks, no duplicates,
 * same vectors.
 */
class CrashRecoveryTest {
  @TempDir Path dir;

  private static void corpus(Path docs, int files, long seed) throws IOException {
    RandomCorpus.write(docs, files, seed);
  }

  private ProcessBuilder child(Path data, Path docs, String command) throws IOException {
    return ChildJvm.builder(
            Main.class,
            Map.of(
                "ANCLA_DATA_DIR", data.toString(),
                "ANCLA_SOURCES", docs.toString(),
                "ANCLA_CHECKPOINT_CHUNKS", "6",
                "ANCLA_EMBED_THREADS", "2",
                "ANCLA_PARSE_THREADS", "1"),
            command,
            "--json")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(dir.resolve("child-" + data.getFileName() + ".log").toFile());
  }

  private static boolean committing(Path index) throws IOException {
    if (!Files.isDirectory(index)) {
      return false;
    }
    try (Stream<Path> files = Files.list(index)) {
      return files.anyMatch(p -> p.getFileName().toString().startsWith("pending_segments_"));
    }
  }

  /** What an index holds, comparable across runs. */
  private record Snapshot(
      Map<String, String> registry,
      Map<String, float[]> vectors,
      int chunkDocs,
      int distinctChunks) {}

  private static Snapshot read(Path index) throws IOException {
    try (var fs = FSDirectory.open(index);
        var reader = DirectoryReader.open(fs)) {
      var searcher = new IndexSearcher(reader);
      StoredFields stored = searcher.storedFields();
      var registry = new TreeMap<String, String>();
      for (ScoreDoc hit :
          searcher.search(new TermQuery(new Term(IndexSchema.KIND, "doc")), 100_000).scoreDocs) {
        var doc = stored.document(hit.doc);
        registry.put(
            doc.get(IndexSchema.PATH),
            doc.get(IndexSchema.STATUS)
                + "/"
                + doc.get(IndexSchema.CONTENT_HASH)
                + "/"
                + doc.getField(IndexSchema.CHUNKS).numericValue());
      }
      var vectors = new HashMap<String, float[]>();
      var seen = new HashSet<String>();
      ScoreDoc[] chunks =
          searcher.search(new TermQuery(new Term(IndexSchema.KIND, "chunk")), 100_000).scoreDocs;
      for (ScoreDoc hit : chunks) {
        var doc = stored.document(hit.doc);
        String key =
            doc.get(IndexSchema.PATH) + "#" + doc.getField(IndexSchema.ORDINAL).numericValue();
        seen.add(key);
        vectors.put(key, StoredVectors.byDocId(reader, hit.doc).orElseThrow());
      }
      return new Snapshot(registry, vectors, chunks.length, seen.size());
    }
  }

  /**
   * Invariants that must hold at every commit: no duplicates, no file marked done without its
   * chunks.
   */
  private static void assertConsistent(Path index, String when) throws IOException {
    if (TestAncla.commitGeneration(index) < 0) {
      return;
    }
    Snapshot s = read(index);
    assertEquals(s.distinctChunks(), s.chunkDocs(), "duplicate chunks " + when);
    var perFile = new HashMap<String, Integer>();
    s.vectors()
        .keySet()
        .forEach(k -> perFile.merge(k.substring(0, k.lastIndexOf('#')), 1, Integer::sum));
    s.registry()
        .forEach(
            (path, value) -> {
              int expected = Integer.parseInt(value.substring(value.lastIndexOf('/') + 1));
              assertEquals(expected, perFile.getOrDefault(path, 0), path + " chunks " + when);
            });
    assertEquals(
        s.registry().keySet(),
        new java.util.TreeSet<>(perFile.keySet()),
        "files without registry entry " + when);
  }

  @Test
  void killedAtAnyMomentAndRestartedEndsEqualToACleanRun() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    corpus(docs, 36, 11);
    long seed = System.nanoTime();
    var random = new Random(seed);
    String context = "random seed " + seed;

    Path clean = dir.resolve("clean");
    Process cleanRun = child(clean, docs, "sync").start();
    assertTrue(cleanRun.waitFor(180, TimeUnit.SECONDS), "clean run timed out");
    assertEquals(
        0,
        cleanRun.exitValue(),
        "clean run failed: " + Files.readString(dir.resolve("child-clean.log")));

    Path crashed = dir.resolve("crashed");
    Path index = crashed.resolve("index");
    var kills = new ArrayList<String>();
    // 1: early, while the JVM starts, parses and loads the model
    kill(child(crashed, docs, "sync").start(), 300 + random.nextInt(900), kills, "early");
    assertConsistent(index, "after early kill; " + context);
    // 2-4: shortly after a checkpoint of this run, mid-embedding
    for (int i = 0; i < 3; i++) {
      long before = TestAncla.commitGeneration(index);
      Process p = child(crashed, docs, "sync").start();
      long deadline = System.currentTimeMillis() + 60_000;
      while (TestAncla.commitGeneration(index) <= before
          && p.isAlive()
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(5);
      }
      kill(p, random.nextInt(400), kills, "after checkpoint");
      assertConsistent(index, "after kill " + kills.size() + "; " + context);
    }
    // 5: while a commit is being written, if we catch one
    Process p = child(crashed, docs, "sync").start();
    long deadline = System.currentTimeMillis() + 60_000;
    while (!committing(index) && p.isAlive() && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    kill(p, 0, kills, "during commit");
    assertConsistent(index, "after kill during commit; " + context);

    Process finish = child(crashed, docs, "init").start();
    assertTrue(finish.waitFor(180, TimeUnit.SECONDS), "final run timed out");
    assertEquals(
        0,
        finish.exitValue(),
        "final run failed: " + Files.readString(dir.resolve("child-crashed.log")));

    assertTrue(
        kills.stream().filter(k -> !k.contains("already")).count() >= 4,
        "most kills must land while indexing runs: " + kills);
    Snapshot expected = read(clean.resolve("index"));
    Snapshot actual = read(index);
    assertEquals(36, expected.registry().size());
    assertEquals(expected.registry(), actual.registry(), context + "; kills " + kills);
    assertEquals(expected.chunkDocs(), actual.chunkDocs(), "chunk count; " + context);
    assertEquals(actual.distinctChunks(), actual.chunkDocs(), "duplicates; " + context);
    for (var e : expected.vectors().entrySet()) {
      float[] other = actual.vectors().get(e.getKey());
      assertNotNull(other, e.getKey());
      assertTrue(cosine(e.getValue(), other) >= 0.9999, e.getKey() + " vector differs; " + context);
    }
  }

  private void kill(Process p, long afterMillis, List<String> kills, String what)
      throws InterruptedException, IOException {
    Thread.sleep(afterMillis);
    boolean wasAlive = p.isAlive();
    p.destroyForcibly(); // SIGKILL on Linux
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    kills.add(what + (wasAlive ? "" : " (had already finished)"));
    // A SIGKILL from outside looks like a crash to the crash ledger, which fails a file that was
    // in flight at two deaths (PoisonFileTest). This test is about commits, not about blame: the
    // restart forgets who was in flight.
    for (String data : List.of("crashed", "term")) {
      Files.deleteIfExists(dir.resolve(data).resolve("in-flight.tsv"));
    }
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void sigtermStopsASyncGracefullyKeepingItsWorkAndTheNextRunFinishes() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    corpus(docs, 36, 12);
    Path data = dir.resolve("term");
    Path index = data.resolve("index");
    Process p = child(data, docs, "sync").start();
    long deadline = System.currentTimeMillis() + 60_000;
    while (TestAncla.commitGeneration(index) < 2
        && p.isAlive()
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(p.isAlive(), "the sync ended before it could be stopped; make the corpus larger");
    long stopAt = System.nanoTime();
    p.destroy(); // SIGTERM
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "did not stop within 30 s of SIGTERM");
    long stopMillis = (System.nanoTime() - stopAt) / 1_000_000;
    assertTrue(stopMillis < 30_000);
    assertConsistent(index, "after SIGTERM");
    try (var fs = FSDirectory.open(index);
        var reader = DirectoryReader.open(fs)) {
      var data1 = reader.getIndexCommit().getUserData();
      assertEquals("building", data1.get("state"), "a stopped sync is not complete");
      assertTrue(Long.parseLong(data1.get("documents")) > 0, "work done before SIGTERM is kept");
    }
    Process finish = child(data, docs, "init").start();
    assertTrue(finish.waitFor(180, TimeUnit.SECONDS));
    assertEquals(0, finish.exitValue());
    Snapshot done = read(index);
    assertEquals(36, done.registry().size());
    assertEquals(done.distinctChunks(), done.chunkDocs());
  }
}
