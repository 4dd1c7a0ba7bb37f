package dev.ancla.index;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk in words a user can act on. /dev/full is a real device on which every write fails
 * with the kernel's ENOSPC: the very exception a full data disk gives.
 */
class StorageErrorsTest {
  @TempDir Path dir;

  @Test
  void aFullDiskNamesTheFolderItsFreeSpaceAndTheFix() throws Exception {
    IOException full = fullDisk();
    assertTrue(full.getMessage().contains("No space left on device"), full.getMessage());
    Path data = dir.resolve("data");
    String message = StorageErrors.describe(new IOException(full.getMessage()), data);
    assertTrue(message.startsWith(full.getMessage()), "the original words first: " + message);
    assertTrue(message.contains("writing under " + data.toAbsolutePath()), message);
    assertTrue(message.matches("(?s).*, [0-9,]+ MiB free of [0-9,]+ MiB\\).*"), message);
    assertTrue(message.contains("ANCLA_DATA_DIR"), message);
  }

  @Test
  void aFullDiskDeepInTheCausesIsFoundAndItsOwnFileNamed() throws Exception {
    IOException full = fullDisk();
    var wrapped = new IllegalStateException("commit failed", full);
    String message = StorageErrors.describe(wrapped, dir);
    assertTrue(message.startsWith("commit failed (writing under "), message);
    if (full instanceof java.nio.file.FileSystemException fs && fs.getFile() != null) {
      assertTrue(message.contains(fs.getFile()), message);
    }
  }

  @Test
  void otherFailuresKeepTheirMessage() {
    assertEquals("boom", StorageErrors.describe(new IOException("boom"), dir));
    assertEquals(
        "java.io.IOException", StorageErrors.describe(new IOException((String) null), dir));
  }

  private static IOException fullDisk() {
    Path device = Path.of("/dev/full");
    assertTrue(Files.exists(device), "Linux has /dev/full");
    return assertThrows(IOException.class, () -> Files.write(device, new byte[1 << 16]));
  }
}
