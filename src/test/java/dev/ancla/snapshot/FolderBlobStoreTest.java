package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class FolderBlobStoreTest extends BlobStoreContract {
  @Override
  BlobStore store() throws IOException {
    return new FolderBlobStore(Files.createDirectories(tmp.resolve("store")));
  }

  @Test
  void leavesNoTemporaryFilesBehind() throws IOException {
    try (BlobStore store = store()) {
      store.put("blobs/a", Files.writeString(tmp.resolve("a"), "a"));
      store.create("snapshots/m.json", Files.writeString(tmp.resolve("m"), "m"));
      try (var files = Files.walk(tmp.resolve("store"))) {
        assertEquals(2, files.filter(Files::isRegularFile).count());
      }
    }
  }

  @Test
  void aMissingFolderIsAnErrorThatNamesIt() {
    var store = new FolderBlobStore(tmp.resolve("not-mounted"));
    var e = assertThrows(IOException.class, () -> store.list("snapshots/"));
    assertTrue(e.getMessage().contains("not-mounted"), e.getMessage());
  }
}
