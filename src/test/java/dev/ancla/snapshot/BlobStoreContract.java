package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link BlobStore} contract; each implementation's test extends this. */
abstract class BlobStoreContract {
  @TempDir Path tmp;

  /**
   * A fresh, empty store. Large files (over 6 MiB) must take the multipart path where there is one.
   */
  abstract BlobStore store() throws IOException;

  private Path file(String name, String text) throws IOException {
    return Files.writeString(tmp.resolve(name), text);
  }

  private static byte[] read(BlobStore store, String key) throws IOException {
    try (InputStream in = store.open(key)) {
      return in.readAllBytes();
    }
  }

  @Test
  void putThenOpenReturnsTheSameBytesAndExistsSaysSo() throws IOException {
    try (BlobStore store = store()) {
      assertFalse(store.exists("blobs/a"));
      store.put("blobs/a", file("a", "hola índice"));
      assertTrue(store.exists("blobs/a"));
      assertEquals("hola índice", new String(read(store, "blobs/a"), StandardCharsets.UTF_8));
    }
  }

  @Test
  void putReplacesButCreateNeverDoes() throws IOException {
    try (BlobStore store = store()) {
      store.put("blobs/a", file("one", "1"));
      store.put("blobs/a", file("two", "2"));
      assertEquals("2", new String(read(store, "blobs/a"), StandardCharsets.UTF_8));

      store.create("snapshots/m.json", file("m1", "first"));
      assertThrows(
          FileAlreadyExistsException.class,
          () -> store.create("snapshots/m.json", file("m2", "second")));
      assertEquals("first", new String(read(store, "snapshots/m.json"), StandardCharsets.UTF_8));
    }
  }

  @Test
  void openingAnAbsentKeyIsNoSuchFileAndDeletingOneIsFine() throws IOException {
    try (BlobStore store = store()) {
      store.put("blobs/present", file("p", "x")); // the store exists, the key does not
      assertThrows(NoSuchFileException.class, () -> store.open("blobs/absent").close());
      store.delete("blobs/absent");
    }
  }

  @Test
  void listReturnsKeysUnderThePrefixSortedWithSizeAndTime() throws IOException {
    Instant before = Instant.now().minus(Duration.ofMinutes(5)); // S3 times have second precision
    try (BlobStore store = store()) {
      store.put("blobs/b", file("b", "bb"));
      store.put("blobs/a", file("a", "a"));
      store.put("snapshots/s.json", file("s", "{}"));
      var blobs = store.list("blobs/");
      assertEquals(2, blobs.size());
      assertEquals("blobs/a", blobs.get(0).key());
      assertEquals(1, blobs.get(0).size());
      assertEquals("blobs/b", blobs.get(1).key());
      assertEquals(2, blobs.get(1).size());
      assertTrue(blobs.get(0).modified().isAfter(before), blobs.get(0).modified().toString());
      assertEquals(3, store.list("").size());
      assertTrue(store.list("nothing/").isEmpty());
    }
  }

  @Test
  void deleteRemovesTheBlob() throws IOException {
    try (BlobStore store = store()) {
      store.put("blobs/a", file("a", "a"));
      store.delete("blobs/a");
      assertFalse(store.exists("blobs/a"));
      assertTrue(store.list("blobs/").isEmpty());
    }
  }

  @Test
  void aLargeFileRoundTripsByteForByte() throws IOException {
    byte[] data = new byte[12 * 1024 * 1024 + 12345];
    new Random(7).nextBytes(data);
    Path big = Files.write(tmp.resolve("big"), data);
    try (BlobStore store = store()) {
      store.put("blobs/big", big);
      assertArrayEquals(data, read(store, "blobs/big"));
      assertEquals(data.length, store.list("blobs/").getFirst().size());
    }
  }

  @Test
  void keysThatCouldEscapeTheRootAreRefused() throws IOException {
    try (BlobStore store = store()) {
      for (String key : new String[] {"../x", "/abs", "a/../../x", "a//b", ""}) {
        assertThrows(IllegalArgumentException.class, () -> store.exists(key), key);
      }
    }
  }

  @Test
  void compareAndSetCreatesOnlyIfAbsentAndReplacesOnlyTheVersionRead() throws IOException {
    try (BlobStore store = store()) {
      assertTrue(store.read("lease.json").isEmpty());
      String v1 = store.compareAndSet("lease.json", java.util.Optional.empty(), bytes("one"));
      assertThrows(
          BlobStore.ConflictException.class,
          () -> store.compareAndSet("lease.json", java.util.Optional.empty(), bytes("two")),
          "create when present");
      var read = store.read("lease.json").orElseThrow();
      assertEquals("one", new String(read.bytes(), StandardCharsets.UTF_8));
      assertEquals(v1, read.version());
      assertEquals(
          v1,
          store.compareAndSet("lease.json", java.util.Optional.empty(), bytes("one")),
          "the bytes it already holds: a retried create that did succeed");
      String v2 =
          store.compareAndSet("lease.json", java.util.Optional.of(read.version()), bytes("two"));
      assertNotEquals(v1, v2);
      assertThrows(
          BlobStore.ConflictException.class,
          () -> store.compareAndSet("lease.json", java.util.Optional.of(v1), bytes("stale")),
          "replace with a stale version");
      assertEquals(
          "two",
          new String(store.read("lease.json").orElseThrow().bytes(), StandardCharsets.UTF_8));
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Digest.of(in, null).sha256();
    }
  }

  @Test
  void statTellsTheLengthAndAnyChecksumRecordedWithoutReading() throws IOException {
    try (BlobStore store = store()) {
      Path a = file("a", "hola índice");
      store.put("blobs/a", a, sha256(a));
      var stat = store.stat("blobs/a").orElseThrow();
      assertEquals(Files.size(a), stat.size());
      String expected = sha256(a);
      stat.sha256().ifPresent(sha -> assertEquals(expected, sha, "a recorded checksum is right"));
      assertTrue(store.stat("blobs/absent").isEmpty());
      assertTrue(store.stat("blobs").isEmpty(), "a folder of keys is not a blob");
    }
  }

  @Test
  void aPutWhoseBytesAreNotTheChecksumNamedStoresNothing() throws IOException {
    try (BlobStore store = store()) {
      Path a = file("a", "the bytes named");
      String sha = sha256(a);
      Path other = file("b", "other bytes of!");
      assertThrows(
          BlobStore.ChecksumMismatchException.class, () -> store.put("blobs/x", other, sha));
      assertTrue(store.stat("blobs/x").isEmpty(), "nothing under the key");
      assertFalse(store.exists("blobs/x"));
    }
  }

  @Test
  void aVerifiedPutReplacesADamagedBlob() throws IOException {
    try (BlobStore store = store()) {
      Path a = file("a", "the whole blob, every byte");
      store.put("blobs/a", file("half", "the whole"));
      store.put("blobs/a", a, sha256(a));
      assertArrayEquals(Files.readAllBytes(a), read(store, "blobs/a"));
      assertEquals(Files.size(a), store.stat("blobs/a").orElseThrow().size());
    }
  }

  @Test
  void aLargeVerifiedFileRoundTripsWithItsLength() throws IOException {
    byte[] data = new byte[7 * 1024 * 1024 + 99];
    new Random(9).nextBytes(data);
    Path big = Files.write(tmp.resolve("big"), data);
    try (BlobStore store = store()) {
      store.put("blobs/big", big, sha256(big));
      assertArrayEquals(data, read(store, "blobs/big"));
      var stat = store.stat("blobs/big").orElseThrow();
      assertEquals(data.length, stat.size());
      String expected = sha256(big);
      stat.sha256().ifPresent(sha -> assertEquals(expected, sha));
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
