package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.testing.ChildJvm;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder store's put killed with SIGKILL half-way through a blob leaves no partial blob under the
 * final name, and a blob being replaced keeps its old bytes. The child JVM reads the blob from a
 * named pipe, so the test decides exactly where the write stands when the kill comes: half the
 * bytes are in the temporary file, none of the rest has been sent.
 */
class FolderBlobCrashTest {
  private static final int SIZE = 2 << 20;

  @TempDir Path dir;

  /** The child: puts the pipe's bytes under a key, verified against a SHA-256. */
  public static final class Put {
    public static void main(String[] args) throws IOException {
      new FolderBlobStore(Path.of(args[0])).put(args[2], Path.of(args[1]), args[3]);
      System.out.println("stored");
    }
  }

  private static String sha256(byte[] bytes) throws IOException {
    try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
      return Digest.of(in, null).sha256();
    }
  }

  /** Starts a put of {@code data} under {@code key}, feeds half of it, and SIGKILLs the child. */
  private void killMidWrite(Path root, String key, byte[] data) throws Exception {
    Path fifo = dir.resolve("pipe-" + System.nanoTime());
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    Process child =
        ChildJvm.builder(Put.class, Map.of(), root.toString(), fifo.toString(), key, sha256(data))
            .redirectErrorStream(true)
            .start();
    try (var out = new FileOutputStream(fifo.toFile())) { // opens once the child reads
      out.write(data, 0, SIZE / 2);
      out.flush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (partialBytes(root) < SIZE / 2) {
        assertTrue(System.nanoTime() < deadline, "the child never wrote half the blob");
        assertTrue(child.isAlive(), "the child exited early");
        Thread.sleep(10);
      }
      child.destroyForcibly(); // SIGKILL, with half the blob written to disk
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertEquals(137, child.exitValue(), "killed by SIGKILL");
    }
  }

  /** Bytes in the store's temporary files: where an interrupted put left its data. */
  private static long partialBytes(Path root) throws IOException {
    if (!Files.isDirectory(root.resolve("blobs"))) {
      return 0;
    }
    try (Stream<Path> files = Files.list(root.resolve("blobs"))) {
      return files
          .filter(f -> f.getFileName().toString().contains(".partial-"))
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }

  @Test
  void aPutKilledHalfWayLeavesNothingUnderTheKeyAndAReplacedBlobKeepsItsBytes() throws Exception {
    Path root = Files.createDirectories(dir.resolve("store"));
    var store = new FolderBlobStore(root);
    byte[] data = new byte[SIZE];
    new Random(3).nextBytes(data);
    String key = "blobs/" + sha256(data);

    killMidWrite(root, key, data);
    assertEquals(SIZE / 2, partialBytes(root), "half the blob was on disk when the kill came");
    assertTrue(store.stat(key).isEmpty(), "no blob under the final name");
    assertFalse(store.exists(key));
    assertTrue(store.list("").isEmpty(), "temporary files are never listed");

    Path whole = Files.write(dir.resolve("whole"), data);
    store.put(key, whole, sha256(data)); // the next snapshot's upload
    assertEquals(SIZE, store.stat(key).orElseThrow().size());

    // replacing a blob (a repair): killed half-way, the old bytes stay whole
    byte[] other = new byte[SIZE];
    new Random(4).nextBytes(other);
    killMidWrite(root, key, other);
    try (InputStream in = store.open(key)) {
      assertArrayEquals(data, in.readAllBytes());
    }
  }
}
