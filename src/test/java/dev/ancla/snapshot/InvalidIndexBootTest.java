package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.BootOutcome;
import dev.ancla.cli.CliContext;
import dev.ancla.cli.Main;
import dev.ancla.config.Config;
import dev.ancla.index.CommitInfo;
import dev.ancla.index.IndexCheck;
import dev.ancla.testing.TestAncla;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local index that exists but cannot be trusted (a full disk, a crash, a lost file): with a
 * snapshot store, boot moves it aside and restores; without one, boot fails and touches nothing.
 */
class InvalidIndexBootTest {
  @RegisterExtension final S3ProxyExtension proxy = S3Fixture.newProxy();
  @TempDir Path dir;

  private static final String QUERY = "volcán de Tenerife";

  /** One way to damage an index, done with plain file operations on the commit's files. */
  private record Damage(String name, DamageAction action) {}

  @FunctionalInterface
  private interface DamageAction {
    void apply(Path index) throws IOException;
  }

  private static final List<Damage> DAMAGES =
      List.of(
          new Damage("truncated largest segment file", i -> truncate(largest(i), 100)),
          new Damage(
              "garbage segments_N",
              i -> Files.writeString(segmentsFile(i), "garbage, not a commit")),
          new Damage("truncated segments_N", i -> truncate(segmentsFile(i), 20)),
          new Damage("file named by the commit deleted", i -> Files.delete(largest(i))),
          new Damage(
              "one byte flipped in a small file", i -> flipMiddleByte(smallestSegmentFile(i))));

  @Test
  void withAStoreEachDamagedIndexIsMovedAsideAndTheNewestSnapshotRestored() throws Exception {
    Path docs = Corpus.write(dir.resolve("docs"));
    Path data = dir.resolve("data");
    Path index = data.resolve("index");
    Config config =
        Corpus.config(data, docs, new S3Fixture(proxy, "ancla").createBucket().env("kb"));
    Manifest snapshot;
    List<String> before;
    try (var ancla = Corpus.open(config)) {
      Corpus.sync(ancla);
      snapshot = ancla.snapshots().orElseThrow().snapshot().manifest();
      before = Corpus.search(ancla, QUERY);
    }
    assertFalse(before.isEmpty());

    for (Damage damage : DAMAGES) {
      damage.action().apply(index);
      assertInstanceOf(IndexCheck.Result.Invalid.class, IndexCheck.check(index), damage.name());
      Map<String, Long> damaged = listing(index);

      try (var ancla = Corpus.open(config)) {
        var boot = assertInstanceOf(BootOutcome.Restored.class, ancla.boot(), damage.name());
        assertEquals(snapshot.id(), boot.manifest(), damage.name());
        assertTrue(boot.describe().contains("invalid"), boot.describe());
        assertEquals(
            before, Corpus.search(ancla, QUERY), damage.name() + ": the same search results");
        assertEquals(3, ancla.store().counts().documents());
      }
      List<Path> broken = brokenCopies(data);
      assertEquals(
          1,
          broken.size(),
          damage.name() + ": one broken copy is kept, older ones are deleted: " + broken);
      assertEquals(
          damaged,
          listing(broken.getFirst()),
          damage.name() + ": the broken index is kept as it was");
      assertInstanceOf(IndexCheck.Result.Valid.class, IndexCheck.check(index));
    }
  }

  @Test
  void anInterruptedIndexingWithAValidCommitResumesAndIsNotRestored() throws Exception {
    Path docs = Corpus.write(dir.resolve("docs"));
    Path data = dir.resolve("data");
    Config config =
        Corpus.config(data, docs, new S3Fixture(proxy, "ancla").createBucket().env("kb"));
    try (var ancla = Corpus.open(config)) {
      Corpus.sync(ancla);
      ancla.snapshots().orElseThrow().snapshot();
    }
    // what a checkpoint of an unfinished indexing leaves: a valid commit with state=building
    try (var fs = FSDirectory.open(data.resolve("index"));
        var writer =
            new IndexWriter(
                fs, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
      var userData = new HashMap<>(SegmentInfos.readLatestCommit(fs).getUserData());
      userData.put("state", CommitInfo.STATE_BUILDING);
      writer.setLiveCommitData(userData.entrySet(), true);
      writer.commit();
    }
    try (var ancla = Corpus.open(config)) {
      assertInstanceOf(BootOutcome.Resuming.class, ancla.boot());
    }
    assertEquals(List.of(), brokenCopies(data));
  }

  @Test
  void withoutAStoreBootFailsWithWhatToDoAndTouchesNothing() throws Exception {
    Path docs = Corpus.write(dir.resolve("docs"));
    Path data = dir.resolve("data");
    Path index = data.resolve("index");
    var env = TestAncla.env(data, docs);
    assertEquals(0, run(env, "init").exit(), "builds the index");
    Files.writeString(segmentsFile(index), "garbage, not a commit");
    Map<String, Long> damaged = listing(index);
    Map<String, Long> dataDir = listing(data);

    for (String[] command : List.of(new String[] {"init"}, new String[] {"search", "volcán"})) {
      var result = run(env, command);
      assertEquals(1, result.exit(), command[0] + ": " + result.err());
      assertTrue(result.err().contains(index.toString()), result.err());
      assertTrue(result.err().contains("cannot be opened"), result.err());
      assertTrue(result.err().contains("ancla snapshot restore"), result.err());
      assertTrue(result.err().contains("mv " + index), result.err());
      assertEquals(damaged, listing(index), command[0] + ": nothing in the index is changed");
      assertEquals(dataDir, listing(data), command[0] + ": nothing is moved or deleted");
    }
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(Map<String, String> env, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var context =
        new CliContext(
            env, new PrintWriter(out, true), new PrintWriter(err, true), false, TestAncla::parts);
    return new Result(Main.run(context, args), out.toString(), err.toString());
  }

  private static List<Path> brokenCopies(Path data) throws IOException {
    try (Stream<Path> files = Files.list(data)) {
      return files.filter(p -> p.getFileName().toString().startsWith("index.broken-")).toList();
    }
  }

  /** Relative path to size, for every file under {@code root} but Lucene's write.lock. */
  private static Map<String, Long> listing(Path root) throws IOException {
    var sizes = new TreeMap<String, Long>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        String name = p.getFileName().toString();
        // the locks hold their holder's pid, which each run writes anew: not the index's state
        if (!name.equals("write.lock") && !name.equals("ancla.lock")) {
          sizes.put(root.relativize(p).toString(), Files.size(p));
        }
      }
    }
    return sizes;
  }

  private static Path segmentsFile(Path index) throws IOException {
    try (var fs = FSDirectory.open(index)) {
      return index.resolve(SegmentInfos.getLastCommitSegmentsFileName(fs));
    }
  }

  private static List<Path> segmentFiles(Path index) throws IOException {
    try (var fs = FSDirectory.open(index)) {
      return SegmentInfos.readLatestCommit(fs).files(false).stream().map(index::resolve).toList();
    }
  }

  private static Path largest(Path index) throws IOException {
    return segmentFiles(index).stream()
        .max(Comparator.comparingLong(InvalidIndexBootTest::size))
        .orElseThrow();
  }

  private static Path smallestSegmentFile(Path index) throws IOException {
    return segmentFiles(index).stream()
        .min(Comparator.comparingLong(InvalidIndexBootTest::size))
        .orElseThrow();
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void truncate(Path file, long bytes) throws IOException {
    try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(raf.length() - bytes);
    }
  }

  private static void flipMiddleByte(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(file, bytes);
  }
}
