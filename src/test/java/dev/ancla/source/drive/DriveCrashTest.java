package dev.ancla.source.drive;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.bench.drive.FakeDrive;
import dev.ancla.cli.Main;
import dev.ancla.index.IndexSchema;
import dev.ancla.index.IndexStore;
import dev.ancla.sync.SyncPlanner;
import dev.ancla.testing.ChildJvm;
import dev.ancla.testing.RandomCorpus;
import dev.ancla.testing.TestAncla;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Drive sync in a real child JVM killed with SIGKILL after its first checkpoint, then Drive
 * changes, then a restart: the index must end equal to an uninterrupted run's. Were the stored
 * change token ever ahead of the committed items, the restart would skip the files the killed run
 * had not indexed, and the registries would differ.
 */
class DriveCrashTest {
  @TempDir Path dir;

  private ProcessBuilder child(FakeDrive drive, String rootId, Path data) throws IOException {
    var env = new HashMap<String, String>();
    env.put("ANCLA_DATA_DIR", data.toString());
    env.put("ANCLA_SOURCES", "gdrive:" + rootId);
    env.put("ANCLA_DRIVE_CREDENTIALS", drive.serviceAccountJson());
    env.put("ANCLA_DRIVE_API_URL", drive.url().toString());
    env.put("ANCLA_DRIVE_REQUESTS_PER_SECOND", "1000");
    env.put("ANCLA_CHECKPOINT_CHUNKS", "3");
    env.put("ANCLA_EMBED_THREADS", "2");
    env.put("ANCLA_PARSE_THREADS", "1");
    return ChildJvm.builder(Main.class, env, "sync", "--json")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(
            ProcessBuilder.Redirect.appendTo(
                dir.resolve("child-" + data.getFileName() + ".log").toFile()));
  }

  private void run(FakeDrive drive, String rootId, Path data) throws Exception {
    Process p = child(drive, rootId, data).start();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "sync timed out");
    assertEquals(
        0,
        p.exitValue(),
        "sync failed: " + Files.readString(dir.resolve("child-" + data.getFileName() + ".log")));
  }

  /** path to status/content hash/chunks, and the number of chunk documents. */
  private static Map<String, String> registry(Path index) throws IOException {
    try (var fs = FSDirectory.open(index);
        var reader = DirectoryReader.open(fs)) {
      var searcher = new IndexSearcher(reader);
      var stored = searcher.storedFields();
      var registry = new TreeMap<String, String>();
      for (ScoreDoc hit :
          searcher.search(
                  new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_DOCUMENT)), 100_000)
              .scoreDocs) {
        var doc = stored.document(hit.doc);
        registry.put(
            doc.get(IndexSchema.PATH),
            doc.get(IndexSchema.STATUS)
                + "/"
                + doc.get(IndexSchema.CONTENT_HASH)
                + "/"
                + doc.getField(IndexSchema.CHUNKS).numericValue());
      }
      int chunks =
          searcher.count(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_CHUNK)));
      registry.put("(chunk documents)", String.valueOf(chunks));
      return registry;
    }
  }

  @Test
  void killedDuringADriveSyncThenRestartedEndsEqualToAnUninterruptedRun() throws Exception {
    Path corpus = Files.createDirectories(dir.resolve("corpus"));
    var files = RandomCorpus.write(corpus, 12, 7);
    try (var drive = new FakeDrive()) {
      var root = drive.folder("Informes", null);
      drive.share(root.id);
      var folders = new HashMap<String, String>();
      FakeDrive.Node renamed = null;
      FakeDrive.Node trashed = null;
      for (Path file : files) {
        String part = corpus.relativize(file).getParent().toString();
        String folder = folders.computeIfAbsent(part, p -> drive.folder(p, root.id).id);
        var node =
            drive.file(
                file.getFileName().toString(), folder, "text/markdown", Files.readAllBytes(file));
        renamed = renamed == null ? node : renamed;
        trashed = node;
      }

      Path crashed = dir.resolve("crashed");
      Process p = child(drive, root.id, crashed).start();
      long deadline = System.currentTimeMillis() + 120_000;
      while (TestAncla.commitGeneration(crashed.resolve("index")) < 2
          && p.isAlive()
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(5);
      }
      boolean killedWhileRunning = p.isAlive();
      p.destroyForcibly(); // SIGKILL
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertTrue(killedWhileRunning, "the kill must land while the sync runs");

      // changes after the killed run's change token: the restart must see them and the rest
      drive.rename(renamed, "renombrado.md");
      drive.trash(trashed);
      drive.file("nuevo.md", root.id, "text/markdown", "# Nuevo\n\nUn informe nuevo.".getBytes());
      run(drive, root.id, crashed);

      Path clean = dir.resolve("clean");
      run(drive, root.id, clean);

      Map<String, String> expected = registry(clean.resolve("index"));
      // 12 files, one trashed, one new, and the chunk count
      assertEquals(12 - 1 + 1 + 1, expected.size(), expected.keySet().toString());
      assertTrue(expected.keySet().stream().anyMatch(k -> k.endsWith("renombrado.md")));
      assertEquals(expected, registry(crashed.resolve("index")));
    }
  }

  /**
   * The killed run is a change-feed sync that adds a folder and renames another, killed after a
   * checkpoint: the commit it leaves must hold the old cursor with the old folder map (a checkpoint
   * never stores a state ahead of its cursor), and the restart must end with the new map, equal to
   * an uninterrupted run's, and the same registry.
   */
  @Test
  void killedDuringAChangeFeedSyncTheFolderMapStillMatchesTheCursor() throws Exception {
    Path corpus = Files.createDirectories(dir.resolve("corpus"));
    var files = RandomCorpus.write(corpus, 6, 11);
    Path more = Files.createDirectories(dir.resolve("more"));
    var added = RandomCorpus.write(more, 12, 12);
    try (var drive = new FakeDrive()) {
      var root = drive.folder("Informes", null);
      drive.share(root.id);
      var folders = new HashMap<String, FakeDrive.Node>();
      for (Path file : files) {
        String part = corpus.relativize(file).getParent().toString();
        var folder = folders.computeIfAbsent(part, name -> drive.folder(name, root.id));
        drive.file(
            file.getFileName().toString(), folder.id, "text/markdown", Files.readAllBytes(file));
      }
      Path crashed = dir.resolve("crashed");
      run(drive, root.id, crashed);
      FolderMap before = folderMap(crashed, root.id);
      assertEquals(folders.size(), before.folders.size(), before.folders.toString());

      var renamedFolder = folders.values().iterator().next();
      drive.rename(renamedFolder, "Carpeta renombrada");
      var nuevos = drive.folder("Nuevos", root.id);
      for (Path file : added) {
        drive.file(
            file.getFileName().toString(), nuevos.id, "text/markdown", Files.readAllBytes(file));
      }
      long generation = TestAncla.commitGeneration(crashed.resolve("index"));
      Process p = child(drive, root.id, crashed).start();
      long deadline = System.currentTimeMillis() + 120_000;
      while (TestAncla.commitGeneration(crashed.resolve("index")) <= generation
          && p.isAlive()
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(5);
      }
      boolean killedWhileRunning = p.isAlive();
      p.destroyForcibly(); // SIGKILL
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertTrue(killedWhileRunning, "the kill must land while the sync runs");
      assertTrue(TestAncla.commitGeneration(crashed.resolve("index")) > generation, "a checkpoint");

      // the checkpoint kept the old cursor, and the map beside it is still that cursor's own
      FolderMap atCrash = folderMap(crashed, root.id);
      assertEquals(before.folders, atCrash.folders);
      assertFalse(atCrash.folders.containsKey(nuevos.id));

      run(drive, root.id, crashed);
      Path clean = dir.resolve("clean");
      run(drive, root.id, clean);
      FolderMap after = folderMap(crashed, root.id);
      assertEquals(folderMap(clean, root.id).folders, after.folders);
      assertEquals("Nuevos", after.folders.get(nuevos.id).name());
      assertEquals("Carpeta renombrada", after.folders.get(renamedFolder.id).name());
      assertEquals(registry(clean.resolve("index")), registry(crashed.resolve("index")));
    }
  }

  /**
   * The committed cursor decoded with the folder map committed beside it: throws if they differ.
   */
  private static FolderMap folderMap(Path data, String rootId) throws Exception {
    try (var index = IndexStore.openReadOnly(data.resolve("index"))) {
      Map<String, String> committed = index.lastCommit().orElseThrow().raw();
      String key =
          committed.keySet().stream()
              .filter(k -> k.startsWith("source.") && k.endsWith(".cursor"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no cursor in " + committed.keySet()));
      String cursor = committed.get(key);
      assertTrue(cursor.startsWith("gd2:") && cursor.length() < 100, cursor);
      String sourceId = key.substring("source.".length(), key.length() - ".cursor".length());
      Optional<String> folders = index.state(SyncPlanner.stateKey(sourceId));
      assertTrue(folders.isPresent(), "a folder map beside " + cursor);
      return CursorCodec.decode(cursor, folders, rootId, "gdrive:" + rootId).map();
    }
  }
}
