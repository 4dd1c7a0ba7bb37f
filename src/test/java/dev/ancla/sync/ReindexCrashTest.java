package dev.ancla.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.Ancla;
import dev.ancla.cli.Main;
import dev.ancla.index.IndexCheck;
import dev.ancla.index.IndexSchema;
import dev.ancla.index.StoredVectors;
import dev.ancla.testing.ChildJvm;
import dev.ancla.testing.RandomCorpus;
import dev.ancla.testing.TestAncla;
import dev.ancla.testing.TestModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `ancla reindex` in a real child JVM, killed with SIGKILL while the new generation is being
 * written: the index on disk must be the old one, whole and unchanged; a second run finishes.
 */
class ReindexCrashTest {
  @TempDir Path dir;

  private ProcessBuilder reindex(Path data, Path docs, Path model) throws IOException {
    return ChildJvm.builder(
            Main.class,
            Map.of(
                "ANCLA_DATA_DIR", data.toString(),
                "ANCLA_SOURCES", docs.toString(),
                "ANCLA_MODEL_DIR", model.toString(),
                "ANCLA_MODEL_POOLING", "cls",
                "ANCLA_MODEL_MAX_TOKENS", "256",
                "ANCLA_CHECKPOINT_CHUNKS", "4",
                "ANCLA_EMBED_THREADS", "1"),
            "reindex",
            "--json")
        .redirectOutput(dir.resolve("child.out").toFile())
        .redirectError(dir.resolve("child.log").toFile());
  }

  /** Chunk key → text and vector, with the commit's generation and model. */
  private record Contents(
      long generation, String fingerprint, Map<String, Map.Entry<String, float[]>> chunks) {}

  private static Contents read(Path index) throws IOException {
    try (var fs = FSDirectory.open(index);
        var reader = DirectoryReader.open(fs)) {
      var infos = SegmentInfos.readLatestCommit(fs);
      var searcher = new IndexSearcher(reader);
      var stored = searcher.storedFields();
      var chunks = new TreeMap<String, Map.Entry<String, float[]>>();
      var query = new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_CHUNK));
      for (ScoreDoc hit : searcher.search(query, 100_000).scoreDocs) {
        var doc = stored.document(hit.doc);
        String key =
            doc.get(IndexSchema.PATH) + "#" + doc.getField(IndexSchema.ORDINAL).numericValue();
        chunks.put(
            key,
            Map.entry(
                doc.get(IndexSchema.TEXT), StoredVectors.byDocId(reader, hit.doc).orElseThrow()));
      }
      return new Contents(
          infos.getGeneration(), infos.getUserData().get("model.fingerprint"), chunks);
    }
  }

  /** Files in the index directory that its last commit does not name (write.lock aside). */
  private static Set<String> uncommittedFiles(Path index) throws IOException {
    Set<String> committed;
    try (var fs = FSDirectory.open(index)) {
      committed = new HashSet<>(SegmentInfos.readLatestCommit(fs).files(true));
    }
    try (Stream<Path> files = Files.list(index)) {
      var extra = new HashSet<String>();
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> !committed.contains(n) && !n.equals("write.lock"))
          .forEach(extra::add);
      return extra;
    }
  }

  @Test
  void killedWhileWritingTheNewGenerationLeavesTheOldIndexWhole() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    RandomCorpus.write(docs, 40, 23);
    Path data = dir.resolve("data");
    Path index = data.resolve("index");
    try (Ancla ancla = TestAncla.open(data, docs)) {
      assertTrue(ancla.sync().sync(new ProgressTracker(System::nanoTime)).complete());
    }
    Contents before = read(index);
    assertEquals(TestModel.shared().info().fingerprint(), before.fingerprint());
    Path model = Files.createDirectories(dir.resolve("model"));
    TestModel.writeBundledModelTo(model);

    Process child = reindex(data, docs, model).start();
    long deadline = System.currentTimeMillis() + 120_000;
    boolean midway = false;
    while (child.isAlive() && System.currentTimeMillis() < deadline) {
      if (!uncommittedFiles(index).isEmpty()) {
        midway = true;
        break;
      }
      Thread.sleep(5);
    }
    child.destroyForcibly(); // SIGKILL
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertTrue(
        midway,
        "the kill must land while the new generation is being written; child log:\n"
            + Files.readString(dir.resolve("child.log")));
    assertEquals(137, child.exitValue(), "killed by SIGKILL, not finished");

    assertInstanceOf(IndexCheck.Result.Valid.class, IndexCheck.check(index));
    Contents afterKill = read(index);
    assertEquals(before.generation(), afterKill.generation());
    assertEquals(before.fingerprint(), afterKill.fingerprint());
    assertEquals(before.chunks().keySet(), afterKill.chunks().keySet());
    for (var key : before.chunks().keySet()) {
      assertArrayEquals(
          before.chunks().get(key).getValue(), afterKill.chunks().get(key).getValue(), key);
    }

    Process again = reindex(data, docs, model).start();
    assertTrue(again.waitFor(180, TimeUnit.SECONDS), "second reindex timed out");
    assertEquals(0, again.exitValue(), Files.readString(dir.resolve("child.log")));
    assertTrue(Files.readString(dir.resolve("child.out")).contains("\"complete\":true"));
    Contents after = read(index);
    assertEquals(TestModel.other().info().fingerprint(), after.fingerprint());
    assertEquals(before.chunks().keySet(), after.chunks().keySet());
    var other = TestModel.other();
    for (var key : after.chunks().keySet()) {
      assertArrayEquals(
          other.embed(after.chunks().get(key).getKey()),
          after.chunks().get(key).getValue(),
          1e-6f,
          key);
    }
    // the killed run's files were cleaned up by the next writer
    assertEquals(Set.of(), uncommittedFiles(index));
  }
}
