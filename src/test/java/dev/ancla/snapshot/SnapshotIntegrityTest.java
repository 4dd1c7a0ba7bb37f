package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Damaged blobs never end in "no restorable snapshot" while Ancla reports success: uploads cut
 * midway by a store that keeps the partial object, blobs truncated or flipped in place, a store
 * that stores half and says it stored all. Real S3Proxy (behind {@link CuttingS3Proxy}), real
 * Lucene, real restores: after each scenario the newest snapshot Ancla reports as good restores
 * onto an empty folder and equals its commit.
 */
class SnapshotIntegrityTest {
  private static final String BUCKET = "ancla-integrity";
  private static final String PREFIX = "team/ancla";

  @RegisterExtension final S3ProxyExtension s3proxy = S3Fixture.newProxy();
  @TempDir Path dir;

  private S3Fixture fixture;
  private S3Client direct;
  private CuttingS3Proxy proxy;
  private BlobStore store; // straight to S3Proxy, for looking and damaging
  private Path docs;

  @BeforeEach
  void setUp() throws IOException {
    fixture = new S3Fixture(s3proxy, BUCKET).createBucket();
    direct = S3BlobStore.client(fixture.target(""), 1);
    proxy = new CuttingS3Proxy(s3proxy.getUri(), direct);
    store = fixture.store(PREFIX);
    docs = Corpus.write(dir.resolve("docs"));
  }

  @AfterEach
  void tearDown() throws IOException {
    store.close();
    proxy.close();
    direct.close();
  }

  /** Ancla on the proxy; retention keeps {@code keep}. */
  private Config config(String keep) {
    var env = new HashMap<>(fixture.env(PREFIX));
    env.put("AWS_ENDPOINT_URL_S3", proxy.uri().toString());
    env.put("ANCLA_SNAPSHOT_KEEP", keep);
    return Corpus.config(dir.resolve("data"), docs, env);
  }

  /** What a commit holds: its live documents' stored fields, in a stable order. */
  record Content(int documents, List<String> stored) {
    static Content of(Path indexDir) throws IOException {
      try (var directory = FSDirectory.open(indexDir);
          var reader = DirectoryReader.open(directory)) {
        var stored = new ArrayList<String>();
        for (var leaf : reader.leaves()) {
          StoredFields fields = leaf.reader().storedFields();
          var live = leaf.reader().getLiveDocs();
          for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
            if (live != null && !live.get(doc)) {
              continue;
            }
            var text = new StringBuilder();
            for (IndexableField f : fields.document(doc)) {
              text.append(f.name()).append('=');
              text.append(
                  f.stringValue() != null ? f.stringValue() : String.valueOf(f.numericValue()));
              if (f.binaryValue() != null) {
                text.append(f.binaryValue().utf8ToString().hashCode());
              }
              text.append(';');
            }
            stored.add(text.toString());
          }
        }
        stored.sort(null);
        return new Content(reader.numDocs(), stored);
      }
    }
  }

  /** The newest snapshot Ancla reports as good, as `status` finds it. */
  private Manifest reportedGood() throws IOException {
    return new StatCheck(store, 2)
        .newestVerified(Manifest.listing(store), new HashMap<>())
        .orElseThrow(() -> new AssertionError("no snapshot reported good"));
  }

  /** Restores {@code m} onto an empty folder and compares it with the commit it was taken of. */
  private void assertRestoresTo(Manifest m, Content expected) throws IOException {
    Path target = Files.createTempDirectory(dir, "restore").resolve("index");
    var restored = new Restorer(store, 2).restore(m.id(), target);
    assertEquals(m.id(), restored.manifest().id());
    assertEquals(expected, Content.of(target), "snapshot " + m.id() + " equals its commit");
  }

  private byte[] read(String key) throws IOException {
    try (InputStream in = store.open(key)) {
      return in.readAllBytes();
    }
  }

  /** Writes bytes under a key as a hand edit (or a faulty store) would: no checksum metadata. */
  private void overwrite(Manifest.FileEntry f, byte[] bytes) {
    direct.putObject(
        b -> b.bucket(BUCKET).key(PREFIX + "/" + f.blobKey()), RequestBody.fromBytes(bytes));
  }

  /**
   * Writes other bytes of the same length under a blob's key, keeping the SHA-256 the store
   * records: a byte flipped in place, which only a read can find.
   */
  private void flipInPlace(Manifest.FileEntry f, byte[] bytes) {
    direct.putObject(
        b ->
            b.bucket(BUCKET).key(PREFIX + "/" + f.blobKey()).metadata(Map.of("sha256", f.sha256())),
        RequestBody.fromBytes(bytes));
  }

  private static Manifest.FileEntry largest(Manifest m) {
    return m.files().stream()
        .max(java.util.Comparator.comparingLong(Manifest.FileEntry::size))
        .orElseThrow();
  }

  @Test
  void anUploadCutMidwayLeavesAPartialBlobThatTheNextSnapshotUploadsAgain() throws Exception {
    try (var ancla = Corpus.open(config("7"))) {
      Corpus.sync(ancla);
      var mirror = ancla.snapshots().orElseThrow();
      proxy.mode(CuttingS3Proxy.Mode.CUT);
      assertThrows(IOException.class, mirror::snapshot, "every blob upload is cut");
      proxy.mode(CuttingS3Proxy.Mode.PASS);
      assertTrue(proxy.damaged() > 0);
      assertTrue(Manifest.ids(store).isEmpty(), "nothing published");
      long partial = 0;
      for (var blob : store.list("blobs/")) {
        try (InputStream in = store.open(blob.key())) {
          partial += Digest.of(in, null).sha256().equals(blob.key().substring(6)) ? 0 : 1;
        }
      }
      assertTrue(partial > 0, "the store kept partial blobs under their final keys");

      var next = mirror.snapshot();
      assertTrue(next.verified(), next.problems().toString());
      assertTrue(next.repairedBlobs() > 0, "the partial blobs were uploaded again");
      assertEquals(next.manifest().id(), reportedGood().id());
      assertRestoresTo(next.manifest(), Content.of(dir.resolve("data/index")));
    }
  }

  @Test
  void theIssuesCaseHalveABlobOfTheNewestThenThreeSnapshotsWithNothingChanged() throws Exception {
    try (var ancla = Corpus.open(config("2"))) {
      Corpus.sync(ancla);
      var mirror = ancla.snapshots().orElseThrow();
      Manifest first = mirror.snapshot().manifest();
      Content content = Content.of(dir.resolve("data/index"));
      var victim = largest(first);
      byte[] good = read(victim.blobKey());
      overwrite(victim, java.util.Arrays.copyOf(good, good.length / 2));

      var results = new ArrayList<SnapshotMirror.Result>();
      for (int i = 0; i < 3; i++) {
        results.add(mirror.snapshot());
        assertTrue(results.getLast().verified(), results.getLast().problems().toString());
      }
      var last = results.getLast();
      assertEquals(
          List.of(1, 0, 0),
          results.stream().map(SnapshotMirror.Result::repairedBlobs).toList(),
          "the first of the three uploads the halved blob again");
      assertArrayEquals(good, read(victim.blobKey()));
      Path target = dir.resolve("fresh/index");
      var restored = new Restorer(store, 2).restoreNewest(target).orElseThrow();
      assertEquals(last.manifest().id(), restored.manifest().id(), "the newest restores");
      assertEquals(content, Content.of(target));
    }
  }

  @Test
  void aBlobTruncatedInPlaceIsFoundByStatAndAFlippedByteByTheScrub() throws Exception {
    try (var ancla = Corpus.open(config("7"))) {
      Corpus.sync(ancla);
      var mirror = ancla.snapshots().orElseThrow();
      Manifest first = mirror.snapshot().manifest();
      Content content = Content.of(dir.resolve("data/index"));
      var victim = largest(first);
      byte[] good = read(victim.blobKey());

      overwrite(victim, java.util.Arrays.copyOf(good, good.length - 1));
      assertFalse(new StatCheck(store, 2).problems(first).isEmpty(), "a stat sees truncation");
      var repaired = mirror.snapshot();
      assertEquals(1, repaired.repairedBlobs());
      assertTrue(repaired.verified());
      assertArrayEquals(good, read(victim.blobKey()));

      byte[] flipped = good.clone();
      flipped[flipped.length / 2] ^= 0x10;
      // same length and same recorded checksum: only reading it can tell
      flipInPlace(victim, flipped);
      assertEquals(List.of(), new StatCheck(store, 2).problems(first));
      var scrub = new Scrubber(store, 2, Optional.of(mirror.local())).all();
      assertEquals(1, scrub.damaged().size(), scrub.toString());
      assertEquals(List.of(victim.blobKey()), scrub.repaired());
      assertTrue(scrub.clean());
      assertArrayEquals(good, read(victim.blobKey()));
      assertRestoresTo(reportedGood(), content);
    }
  }

  /**
   * A byte flipped in place in a blob that every kept snapshot shares: no stat can see it, so the
   * snapshot is called good until someone reads it. The first reader, a restore on another machine
   * (a rolling deploy), fails and files a report; from then on the writer stops calling the
   * snapshot good, and repairs the blob from its local index, after which the restore succeeds.
   */
  @Test
  void aFlippedByteARestoreFindsIsReportedAndRepairedByTheWriter() throws Exception {
    try (var ancla = Corpus.open(config("7"))) {
      Corpus.sync(ancla);
      var mirror = ancla.snapshots().orElseThrow();
      Manifest first = mirror.snapshot().manifest();
      Manifest second = mirror.snapshot().manifest(); // nothing changed: the same blobs
      Content content = Content.of(dir.resolve("data/index"));
      var victim = largest(second);
      byte[] good = read(victim.blobKey());
      byte[] flipped = good.clone();
      flipped[flipped.length / 3] ^= 0x04;
      flipInPlace(victim, flipped);
      assertEquals(second.id(), reportedGood().id(), "before any read, a stat cannot tell");

      Path elsewhere = dir.resolve("elsewhere/index");
      var failed =
          assertThrows(
              Restorer.NothingRestorableException.class,
              () -> new Restorer(store, 2, java.time.Duration.ZERO).restoreNewest(elsewhere));
      assertTrue(failed.getMessage().contains(victim.name()), failed.getMessage());
      assertEquals(
          List.of(victim.blobKey()), List.copyOf(DamageReports.list(store).keySet()), "reported");
      assertEquals(
          Optional.empty(),
          new StatCheck(store, 2).newestVerified(Manifest.listing(store), new HashMap<>()),
          "once reported, no snapshot needing the blob is called good");

      var repair = new Scrubber(store, 2, Optional.of(mirror.local())).repairReported();
      assertEquals(List.of(victim.blobKey()), repair.repaired(), repair.toString());
      assertEquals(Map.of(), DamageReports.list(store), "the report is withdrawn");
      assertArrayEquals(good, read(victim.blobKey()));
      assertEquals(second.id(), reportedGood().id());
      var restored = new Restorer(store, 2).restoreNewest(elsewhere).orElseThrow();
      assertEquals(second.id(), restored.manifest().id());
      assertEquals(content, Content.of(elsewhere));
      assertRestoresTo(first, content);
    }
  }

  /**
   * A rolling deploy: the new instance's restore finds the damage while the old writer still holds
   * the lease; it waits for the writer's repair (run here by a thread, as serve's scheduler runs it
   * every few seconds) and then restores the newest snapshot instead of failing.
   */
  @Test
  void aRestoreWaitsForALiveWriterToRepairWhatItReported() throws Exception {
    try (var ancla = Corpus.open(config("7"))) {
      Corpus.sync(ancla);
      var mirror = ancla.snapshots().orElseThrow();
      mirror.lease().takeOver();
      Manifest only = mirror.snapshot().manifest();
      Content content = Content.of(dir.resolve("data/index"));
      var victim = largest(only);
      byte[] flipped = read(victim.blobKey());
      flipped[flipped.length - 20] ^= 0x02;
      flipInPlace(victim, flipped);
      var writer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      while (DamageReports.list(store).isEmpty()) {
                        Thread.sleep(200);
                      }
                      new Scrubber(store, 2, Optional.of(mirror.local())).repairReported();
                    } catch (Exception e) {
                      throw new RuntimeException(e);
                    }
                  });
      Path elsewhere = dir.resolve("elsewhere/index");
      var restored = new Restorer(store, 2).restoreNewest(elsewhere).orElseThrow();
      writer.join();
      assertEquals(only.id(), restored.manifest().id());
      assertEquals(content, Content.of(elsewhere));
    }
  }

  /** Without the repair task, the writer's next snapshot uploads a reported blob again. */
  @Test
  void theNextSnapshotUploadsAReportedBlobAgain() throws Exception {
    try (var ancla = Corpus.open(config("7"))) {
      Corpus.sync(ancla);
      var mirror = ancla.snapshots().orElseThrow();
      Manifest first = mirror.snapshot().manifest();
      Content content = Content.of(dir.resolve("data/index"));
      var victim = largest(first);
      byte[] good = read(victim.blobKey());
      byte[] flipped = good.clone();
      flipped[7] ^= 0x01;
      flipInPlace(victim, flipped);
      var problems = new Verifier(store, 2).verify(first);
      assertEquals(1, problems.size(), problems.toString());
      assertTrue(DamageReports.list(store).containsKey(victim.blobKey()), "verify reports it");

      var next = mirror.snapshot();
      assertEquals(1, next.repairedBlobs());
      assertTrue(next.verified(), next.problems().toString());
      assertEquals(Map.of(), DamageReports.list(store));
      assertArrayEquals(good, read(victim.blobKey()));
      assertRestoresTo(next.manifest(), content);
    }
  }

  @Test
  void aDamagedBlobTheLocalIndexNoLongerHoldsIsReportedAndItsSnapshotsMarkedBad() throws Exception {
    try (var ancla = Corpus.open(config("7"))) {
      Corpus.sync(ancla);
      var mirror = ancla.snapshots().orElseThrow();
      Manifest old = mirror.snapshot().manifest();
      Content oldContent = Content.of(dir.resolve("data/index"));
      Files.delete(docs.resolve("paella.txt"));
      Corpus.add(docs, "gofio.txt", "El gofio canario es harina de cereales tostados.");
      Corpus.sync(ancla);
      Manifest newer = mirror.snapshot().manifest();
      Content newContent = Content.of(dir.resolve("data/index"));
      var newerBlobs = newer.files().stream().map(Manifest.FileEntry::blobKey).toList();
      var onlyOld =
          old.files().stream()
              .filter(f -> !newerBlobs.contains(f.blobKey()))
              .max(java.util.Comparator.comparingLong(Manifest.FileEntry::size))
              .orElseThrow();
      byte[] bytes = read(onlyOld.blobKey());
      bytes[0] ^= 1;
      overwrite(onlyOld, bytes);

      var scrub = new Scrubber(store, 2, Optional.of(mirror.local())).all();
      assertEquals(List.of(onlyOld.blobKey()), scrub.unrepaired());
      assertEquals(List.of(old.id()), scrub.markedBad());
      assertTrue(Manifest.listing(store).bad().contains(old.id()));
      assertEquals(newer.id(), reportedGood().id());
      assertRestoresTo(newer, newContent);
      assertNotEquals(oldContent, newContent);
    }
  }

  @Test
  void withTheNewestThreeSnapshotsBadRetentionKeepsTheLastGoodOneAndItsBlobs() throws Exception {
    try (var ancla = Corpus.open(config("2"))) {
      Corpus.sync(ancla);
      var mirror = ancla.snapshots().orElseThrow();
      Manifest good = mirror.snapshot().manifest();
      Content goodContent = Content.of(dir.resolve("data/index"));

      proxy.mode(CuttingS3Proxy.Mode.LIE); // stores half of each new blob and answers 200
      var bad = new ArrayList<String>();
      for (int i = 0; i < 3; i++) {
        Corpus.add(
            docs, "extra" + i + ".txt", "Documento añadido número " + i + " sobre volcanes.");
        Corpus.sync(ancla);
        var result = mirror.snapshot();
        assertFalse(result.verified(), "snapshot " + i + " published half blobs");
        assertEquals(Optional.of(good.id()), result.newestVerified());
        assertEquals(List.of(good.id()), result.pruned().kept());
        bad.add(result.manifest().id());
      }
      proxy.mode(CuttingS3Proxy.Mode.PASS);
      var listing = Manifest.listing(store);
      assertTrue(listing.ids().contains(good.id()), "the last good snapshot is never pruned");
      assertTrue(listing.bad().containsAll(bad), "the bad ones are marked, and kept as evidence");
      for (var f : good.files()) {
        assertTrue(store.exists(f.blobKey()), "kept " + f.blobKey());
      }
      assertEquals(good.id(), reportedGood().id());
      assertRestoresTo(good, goodContent);

      var repaired = mirror.snapshot();
      assertTrue(repaired.verified(), repaired.problems().toString());
      assertTrue(repaired.repairedBlobs() > 0);
      assertEquals(repaired.manifest().id(), reportedGood().id());
      assertRestoresTo(repaired.manifest(), Content.of(dir.resolve("data/index")));
    }
  }
}
