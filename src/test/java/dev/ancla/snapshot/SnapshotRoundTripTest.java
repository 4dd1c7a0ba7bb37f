package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.BootOutcome;
import dev.ancla.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot to S3 (S3Proxy), wipe the data directory, boot: the same index comes back. */
class SnapshotRoundTripTest {
  @RegisterExtension final S3ProxyExtension proxy = S3Fixture.newProxy();
  @TempDir Path dir;

  private Map<String, String> s3Env() {
    return new S3Fixture(proxy, "ancla-snapshots").createBucket().env("team/ancla");
  }

  @Test
  void snapshotWipeAndBootRestoresTheSameIndexAndUploadsOnlyWhatChanged() throws Exception {
    Path docs = Corpus.write(dir.resolve("docs"));
    Path data = dir.resolve("data");
    Config config = Corpus.config(data, docs, s3Env());
    List<String> before;
    SnapshotMirror.Result first;
    SnapshotMirror.Result last;
    try (var ancla = Corpus.open(config)) {
      assertInstanceOf(
          BootOutcome.Created.class, ancla.boot(), "an empty bucket means a fresh start");
      Corpus.sync(ancla);
      var mirror = ancla.snapshots().orElseThrow();

      first = mirror.snapshot();
      assertEquals(
          first.manifest().bytes(), first.uploadedBytes(), "the first snapshot uploads everything");
      assertEquals(first.manifest().files().size(), first.uploadedFiles());

      var again = mirror.snapshot();
      assertEquals(0, again.uploadedBytes(), "nothing changed: nothing uploaded");
      assertEquals(0, again.uploadedFiles());
      assertNotEquals(first.manifest().id(), again.manifest().id());

      Corpus.add(docs, "sidra.txt", "La sidra asturiana se escancia desde lo alto.");
      Corpus.sync(ancla);
      last = mirror.snapshot();
      Set<String> known = new HashSet<>();
      first.manifest().files().forEach(f -> known.add(f.sha256()));
      long newBytes =
          last.manifest().files().stream()
              .filter(f -> !known.contains(f.sha256()))
              .mapToLong(Manifest.FileEntry::size)
              .sum();
      assertTrue(newBytes > 0);
      assertEquals(newBytes, last.uploadedBytes(), "only the new segment files are uploaded");
      assertTrue(
          last.uploadedBytes() < last.manifest().bytes(), "older segments are not uploaded again");
      assertEquals(4, last.manifest().documents());
      before = Corpus.search(ancla, "volcán de Tenerife");
      assertFalse(before.isEmpty());
    }

    Restorer.deleteTree(data);

    try (var ancla = Corpus.open(config)) {
      var boot = assertInstanceOf(BootOutcome.Restored.class, ancla.boot());
      assertEquals(last.manifest().id(), boot.manifest());
      assertEquals(last.manifest().bytes(), boot.bytes());
      var counts = ancla.store().counts();
      assertEquals(4, counts.documents());
      assertEquals(last.manifest().chunks(), counts.chunks());
      assertEquals(before, Corpus.search(ancla, "volcán de Tenerife"));
      assertFalse(Files.exists(data.resolve("index.restoring")));
    }
  }

  @Test
  void aCorruptTruncatedOrUnreadableNewestSnapshotFallsBackToThePreviousOne() throws Exception {
    Path docs = Corpus.write(dir.resolve("docs"));
    Path data = dir.resolve("data");
    Config config = Corpus.config(data, docs, s3Env());
    Manifest older;
    Manifest newer;
    try (var ancla = Corpus.open(config)) {
      Corpus.sync(ancla);
      older = ancla.snapshots().orElseThrow().snapshot().manifest();
      Corpus.add(docs, "sidra.txt", "La sidra asturiana se escancia desde lo alto.");
      Corpus.sync(ancla);
      newer = ancla.snapshots().orElseThrow().snapshot().manifest();
    }
    Set<String> olderBlobs = new HashSet<>();
    older.files().forEach(f -> olderBlobs.add(f.blobKey()));
    var onlyNewer =
        newer.files().stream()
            .filter(f -> !olderBlobs.contains(f.blobKey()))
            .findFirst()
            .orElseThrow();

    try (BlobStore store = BlobStores.open(config.snapshots().orElseThrow().target())) {
      byte[] good;
      try (var in = store.open(onlyNewer.blobKey())) {
        good = in.readAllBytes();
      }
      byte[] flipped = good.clone();
      flipped[flipped.length / 2] ^= 0x40;
      byte[] truncated = java.util.Arrays.copyOf(good, good.length - 10);
      byte[] manifestBytes;
      try (var in = store.open(newer.key())) {
        manifestBytes = in.readAllBytes();
      }

      for (var damage : List.of("corrupt", "truncated", "manifest")) {
        switch (damage) {
          case "corrupt" ->
              store.put(onlyNewer.blobKey(), Files.write(dir.resolve("bad"), flipped));
          case "truncated" ->
              store.put(onlyNewer.blobKey(), Files.write(dir.resolve("bad"), truncated));
          default -> {
            store.put(onlyNewer.blobKey(), Files.write(dir.resolve("good"), good));
            store.put(
                newer.key(), Files.write(dir.resolve("bad"), "{\"format\":1,\"id\":".getBytes()));
          }
        }
        Restorer.deleteTree(data);
        try (var ancla = Corpus.open(config)) {
          var boot = assertInstanceOf(BootOutcome.Restored.class, ancla.boot(), damage);
          assertEquals(older.id(), boot.manifest(), damage + ": the previous snapshot is restored");
          assertEquals(3, ancla.store().counts().documents(), damage);
        }
      }
      store.put(newer.key(), Files.write(dir.resolve("m"), manifestBytes));
    }
  }

  @Test
  void whenEverySnapshotIsBrokenBootFailsAndPublishesNoIndex() throws Exception {
    Path docs = Corpus.write(dir.resolve("docs"));
    Path data = dir.resolve("data");
    Config config = Corpus.config(data, docs, s3Env());
    Manifest only;
    try (var ancla = Corpus.open(config)) {
      Corpus.sync(ancla);
      only = ancla.snapshots().orElseThrow().snapshot().manifest();
    }
    try (BlobStore store = BlobStores.open(config.snapshots().orElseThrow().target())) {
      var segments =
          only.files().stream()
              .filter(f -> f.name().startsWith("segments_"))
              .findFirst()
              .orElseThrow();
      store.put(segments.blobKey(), Files.writeString(dir.resolve("x"), "not a segments file"));
    }
    Restorer.deleteTree(data);
    var e = assertThrows(Restorer.NothingRestorableException.class, () -> Corpus.open(config));
    assertTrue(e.getMessage().contains(only.id()), e.getMessage());
    assertTrue(e.getMessage().contains("refusing to start from an empty index"), e.getMessage());
    assertFalse(Files.exists(data.resolve("index")), "no index is published");
    assertFalse(Files.exists(data.resolve("index.restoring")));
  }

  @Test
  void aFileWhoseBytesMatchTheManifestButFailLucenesChecksumIsCaught() throws Exception {
    // A file corrupted on the machine before upload: its SHA-256 matches, Lucene's footer does not.
    Path docs = Corpus.write(dir.resolve("docs"));
    Path data = dir.resolve("data");
    Path folder =
        Files.createDirectories(dir.resolve("snapshots")); // a missing folder fails closed
    Config config = Corpus.config(data, docs, Map.of("ANCLA_SNAPSHOT_URL", folder.toString()));
    Manifest good;
    try (var ancla = Corpus.open(config)) {
      Corpus.sync(ancla);
      good = ancla.snapshots().orElseThrow().snapshot().manifest();
    }
    var store = new FolderBlobStore(folder);
    var victim =
        good.files().stream()
            .max(java.util.Comparator.comparingLong(Manifest.FileEntry::size))
            .orElseThrow();
    byte[] bytes;
    try (var in = store.open(victim.blobKey())) {
      bytes = in.readAllBytes();
    }
    bytes[bytes.length / 2] ^= 0x01;
    Path bad = Files.write(dir.resolve("bad"), bytes);
    String sha;
    try (var in = Files.newInputStream(bad)) {
      sha = Digest.of(in, null).sha256();
    }
    store.put("blobs/" + sha, bad);
    var files =
        good.files().stream()
            .map(f -> f.equals(victim) ? new Manifest.FileEntry(f.name(), f.size(), sha) : f)
            .toList();
    String id = Manifest.newId(java.time.Instant.now().plusSeconds(60), good.generation());
    var forged =
        new Manifest(
            1,
            id,
            good.time(),
            good.generation(),
            good.anclaVersion(),
            good.schemaVersion(),
            good.modelName(),
            good.modelFingerprint(),
            good.documents(),
            good.chunks(),
            good.failed(),
            good.commitData(),
            files);
    store.create(forged.key(), Files.write(dir.resolve("m.json"), forged.toJson()));

    assertEquals(
        List.of(victim.name() + ": Lucene footer checksum mismatch"),
        new Verifier(store, 2).verify(forged));
    Restorer.deleteTree(data);
    try (var ancla = Corpus.open(config)) {
      var boot = assertInstanceOf(BootOutcome.Restored.class, ancla.boot());
      assertEquals(good.id(), boot.manifest(), "the forged newest snapshot is skipped");
    }
  }
}
