package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
  @TempDir Path dir;

  private Path folder;

  /** Three snapshots of a growing index, in a folder store. */
  private List<Manifest> threeSnapshots() throws IOException {
    Path docs = Corpus.write(dir.resolve("docs"));
    folder = Files.createDirectories(dir.resolve("snapshots"));
    // keep is high here, so the mirror's own prune removes nothing; the test prunes by hand
    var config =
        Corpus.config(
            dir.resolve("data"),
            docs,
            Map.of("ANCLA_SNAPSHOT_URL", folder.toString(), "ANCLA_SNAPSHOT_KEEP", "100"));
    try (var ancla = Corpus.open(config)) {
      var mirror = ancla.snapshots().orElseThrow();
      Corpus.sync(ancla);
      var a = mirror.snapshot().manifest();
      Corpus.add(docs, "sidra.txt", "La sidra asturiana se escancia desde lo alto.");
      Corpus.sync(ancla);
      var b = mirror.snapshot().manifest();
      Files.delete(docs.resolve("paella.txt"));
      Corpus.add(docs, "gofio.txt", "El gofio canario es harina de cereales tostados.");
      Corpus.sync(ancla);
      var c = mirror.snapshot().manifest();
      return List.of(a, b, c);
    }
  }

  private static Set<String> blobs(Manifest m) {
    var keys = new HashSet<String>();
    m.files().forEach(f -> keys.add(f.blobKey()));
    return keys;
  }

  @Test
  void keepsTheNewestKAndNeverRemovesABlobTheyNeedAndWaitsForTheGracePeriod() throws IOException {
    List<Manifest> m = threeSnapshots();
    var store = new FolderBlobStore(folder);
    Set<String> onlyInOldest = blobs(m.get(0));
    onlyInOldest.removeAll(blobs(m.get(1)));
    onlyInOldest.removeAll(blobs(m.get(2)));
    assertFalse(onlyInOldest.isEmpty(), "the oldest snapshot has files the others do not");

    Instant now = Instant.now();
    var pruned =
        new Retention(2, Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC)).prune(store);
    assertEquals(List.of(m.get(0).id()), pruned.manifestsDeleted());
    assertEquals(0, pruned.blobsDeleted(), "young unreferenced blobs are in their grace period");
    assertEquals(onlyInOldest.size(), pruned.blobsInGrace());
    assertEquals(List.of(m.get(2).id(), m.get(1).id()), Manifest.ids(store));

    var later =
        new Retention(
                2, Duration.ofHours(1), Clock.fixed(now.plus(Duration.ofHours(2)), ZoneOffset.UTC))
            .prune(store);
    assertEquals(onlyInOldest.size(), later.blobsDeleted());
    for (String key : onlyInOldest) {
      assertFalse(store.exists(key), key);
    }
    for (Manifest kept : m.subList(1, 3)) {
      for (String key : blobs(kept)) {
        assertTrue(store.exists(key), "kept " + kept.id() + " needs " + key);
      }
      assertEquals(List.of(), new Verifier(store, 2).verify(Manifest.load(store, kept.id())));
    }
  }

  @Test
  void anUnreferencedBlobBeingUploadedIsSafeAndOldGarbageIsNot() throws IOException {
    threeSnapshots();
    var store = new FolderBlobStore(folder);
    String uploading = "blobs/" + "a".repeat(64);
    String garbage = "blobs/" + "b".repeat(64);
    store.put(uploading, Files.writeString(dir.resolve("u"), "new segment"));
    store.put(garbage, Files.writeString(dir.resolve("g"), "old segment"));
    Files.setLastModifiedTime(
        folder.resolve(garbage), FileTime.from(Instant.now().minus(Duration.ofDays(2))));
    new Retention(3, Duration.ofHours(1), Clock.systemUTC()).prune(store);
    assertTrue(store.exists(uploading));
    assertFalse(store.exists(garbage));
  }

  @Test
  void corruptManifestsDoNotCountTowardsKeepAndDoNotStopCollection() throws IOException {
    List<Manifest> m = threeSnapshots();
    var store = new FolderBlobStore(folder);
    store.put(m.get(2).key(), Files.writeString(dir.resolve("x"), "garbage"));
    var pruned = new Retention(2, Duration.ofHours(1), Clock.systemUTC()).prune(store);
    assertEquals(List.of(), pruned.manifestsDeleted(), "two readable ones (1 and 0) are kept");
    for (String key : blobs(m.get(0))) {
      assertTrue(store.exists(key));
    }
  }

  @Test
  void snapshotsMarkedBadOrFailingTheStatCheckAreNotKeptAndRestoreTriesThemLast()
      throws IOException {
    List<Manifest> m = threeSnapshots();
    var store = new FolderBlobStore(folder);
    Manifest.markBad(store, m.get(2).id(), List.of("found bad by an earlier check"));
    // the middle one loses a blob only it has: the stat check fails it and marks it
    Set<String> onlyInMiddle = blobs(m.get(1));
    onlyInMiddle.removeAll(blobs(m.get(0)));
    onlyInMiddle.removeAll(blobs(m.get(2)));
    String lost = onlyInMiddle.iterator().next();
    Files.delete(folder.resolve(lost));

    var pruned = new Retention(2, Duration.ZERO, Clock.systemUTC()).prune(store);
    assertEquals(List.of(m.get(0).id()), pruned.kept(), "the only one that verifies");
    assertEquals(List.of(m.get(2).id(), m.get(1).id()), pruned.bad());
    assertEquals(List.of(), pruned.manifestsDeleted(), "fewer than 2 verify: nothing is deleted");
    assertEquals(Set.of(m.get(2).id(), m.get(1).id()), Manifest.listing(store).bad());
    for (String key : blobs(m.get(0))) {
      assertTrue(store.exists(key), "the last good snapshot keeps " + key);
    }
    for (String key : blobs(m.get(2))) {
      assertTrue(store.exists(key), "a bad snapshot's blobs are evidence: " + key);
    }
    assertEquals(
        List.of(m.get(0).id(), m.get(2).id(), m.get(1).id()),
        Manifest.listing(store).restoreOrder());
    var restored = new Restorer(store, 2).restoreNewest(dir.resolve("restored/index"));
    assertEquals(m.get(0).id(), restored.orElseThrow().manifest().id(), "unmarked ones first");
  }

  @Test
  void keepBelowTwoIsRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Retention(1, Duration.ZERO, Clock.systemUTC()));
    assertTrue(e.getMessage().contains("at least 2"));
  }
}
