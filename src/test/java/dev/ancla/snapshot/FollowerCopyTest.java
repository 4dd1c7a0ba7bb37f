package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower's local copy on real Lucene indexes and a real folder store: two writers' commits with
 * the same file names and other bytes (what a failover can produce) live side by side, each
 * readable, and only what is missing is downloaded.
 */
class FollowerCopyTest {
  @TempDir Path dir;

  @Test
  void twoCommitsWithTheSameFileNamesAndOtherBytesAreBothServedUnchanged() throws Exception {
    var store = new FolderBlobStore(dir.resolve("bucket"));
    Manifest first = publish(store, index("first", "primera versión"), "20261208T010000000Z");
    Manifest second = publish(store, index("second", "segunda versión"), "20261208T010100000Z");
    var sameName = new ArrayList<String>();
    for (var f : first.files()) {
      for (var g : second.files()) {
        if (f.name().equals(g.name()) && !f.sha256().equals(g.sha256())) {
          sameName.add(f.name());
        }
      }
    }
    assertFalse(sameName.isEmpty(), "the two writers made files of one name with other bytes");

    var copy = new FollowerCopy(store, dir.resolve("follow"), 2);
    Path a = copy.materialize(first);
    long afterFirst = copy.downloadedBytes();
    assertEquals(first.bytes(), afterFirst, "every blob of the first, once");
    Path b = copy.materialize(second);
    assertEquals("primera versión", onlyText(a), "the first commit is untouched");
    assertEquals("segunda versión", onlyText(b));
    long shared = sharedBytes(first, second);
    assertEquals(
        second.bytes() - shared, copy.downloadedBytes() - afterFirst, "only what it lacked");
    assertEquals(a, copy.materialize(first), "made once");

    copy.retire(a);
    assertFalse(Files.exists(a));
    assertEquals("segunda versión", onlyText(b), "the other commit's blobs are kept");
    try (Stream<Path> blobs = Files.list(dir.resolve("follow/blobs"))) {
      assertEquals(
          second.files().stream().map(Manifest.FileEntry::sha256).distinct().count(),
          blobs.count(),
          "blobs only the retired commit used are deleted");
    }
  }

  @Test
  void aBlobWhoseBytesAreNotItsNameFailsAsDamagedAndLeavesNoCommit() throws Exception {
    var store = new FolderBlobStore(dir.resolve("bucket"));
    Manifest good = publish(store, index("good", "texto"), "20261208T010000000Z");
    var largest =
        good.files().stream()
            .max(java.util.Comparator.comparingLong(Manifest.FileEntry::size))
            .orElseThrow();
    Path blob = dir.resolve("bucket").resolve(largest.blobKey());
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(blob, bytes);

    var copy = new FollowerCopy(store, dir.resolve("follow"), 2);
    var e = assertThrows(FollowerCopy.DamagedException.class, () -> copy.materialize(good));
    assertTrue(e.getMessage().contains(largest.name()), e.getMessage());
    try (Stream<Path> commits = Files.list(dir.resolve("follow/commits"))) {
      assertEquals(0, commits.count(), "no commit directory for a damaged snapshot");
    }
    try (Stream<Path> blobs = Files.list(dir.resolve("follow/blobs"))) {
      assertTrue(
          blobs.noneMatch(p -> p.getFileName().toString().startsWith(largest.sha256())),
          "the damaged bytes are not kept");
    }
    assertTrue(
        DamageReports.list(store).containsKey(largest.blobKey()),
        "reported, so the writer uploads it again from its local index");
  }

  /** A fresh one-document index: a new writer names its files from _0 again. */
  private Path index(String name, String text) throws Exception {
    Path path = dir.resolve("writers").resolve(name);
    try (var fs = FSDirectory.open(path);
        var writer = new IndexWriter(fs, new IndexWriterConfig(new StandardAnalyzer()))) {
      var doc = new Document();
      doc.add(new StoredField("text", text));
      doc.add(new org.apache.lucene.document.TextField("body", text, Field.Store.NO));
      writer.addDocument(doc);
      writer.commit();
    }
    return path;
  }

  /** Uploads the commit's files as blobs and returns its manifest, as a writer would. */
  private static Manifest publish(FolderBlobStore store, Path index, String time) throws Exception {
    var files = new ArrayList<Manifest.FileEntry>();
    long generation;
    try (var fs = FSDirectory.open(index)) {
      SegmentInfos commit = SegmentInfos.readLatestCommit(fs);
      generation = commit.getGeneration();
      for (String name : commit.files(true)) {
        Path file = index.resolve(name);
        String sha = sha256(file);
        store.put("blobs/" + sha, file);
        files.add(new Manifest.FileEntry(name, Files.size(file), sha));
      }
    }
    return new Manifest(
        Manifest.FORMAT,
        time + "-" + generation,
        "2026-12-08T01:00:00Z",
        generation,
        "test",
        1,
        "model",
        "fingerprint",
        1,
        1,
        0,
        Map.of(),
        files);
  }

  private static String onlyText(Path commit) throws Exception {
    try (var fs = FSDirectory.open(commit);
        var reader = DirectoryReader.open(fs)) {
      assertEquals(1, reader.numDocs());
      return reader.storedFields().document(0).get("text");
    }
  }

  private static long sharedBytes(Manifest a, Manifest b) {
    var had = new java.util.HashSet<String>();
    a.files().forEach(f -> had.add(f.sha256()));
    return b.files().stream().filter(f -> had.contains(f.sha256())).mapToLong(f -> f.size()).sum();
  }

  private static String sha256(Path file) throws Exception {
    var digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      digest.update(in.readAllBytes());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
