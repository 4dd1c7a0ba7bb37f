package dev.ancla.index;

import static dev.ancla.index.IndexStoreTest.chunk;
import static dev.ancla.index.IndexStoreTest.entry;
import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config;
import dev.ancla.testing.FullDisk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A disk that fills up under an open index: a clear error, the last commit intact, recovery. */
class IndexStoreDiskFullTest {
  @TempDir Path dir;

  @Test
  void aFullDiskNamesThePathAndTheSpaceNeededAndTheWriterComesBack() throws Exception {
    var disk = new AtomicReference<FullDisk>();
    try (var store =
        IndexStore.openForWriting(
            dir,
            Analyzers.forLanguage(Config.Language.ES),
            d -> {
              disk.set(new FullDisk(d, dir));
              return disk.get();
            })) {
      store.write(entry("a.txt", 1), List.of(chunk(0, "el teide", 1, 0)));
      store.commit(Map.of());
      assertTrue(store.writeFailure().isEmpty());

      disk.get().fill();
      var e =
          assertThrows(
              IOException.class,
              () -> {
                store.write(entry("b.txt", 1), List.of(chunk(0, "la paella", 0, 1)));
                store.commit(Map.of());
              });
      assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
      assertTrue(
          e.getMessage().contains("0.0 MiB free there; free at least 64.0 MiB"), e.getMessage());
      var failure = store.writeFailure().orElseThrow();
      assertEquals(dir, failure.path());
      assertEquals(0, failure.freeBytes());
      assertEquals(1, store.counts().documents(), "the last commit is still searched");
      assertThrows(IOException.class, () -> store.write(entry("c.txt", 0), List.of()));

      disk.get().free();
      store.recover();
      assertTrue(store.writeFailure().isEmpty());
      store.write(entry("b.txt", 1), List.of(chunk(0, "la paella", 0, 1)));
      store.commit(Map.of());
      assertEquals(2, store.counts().documents());
    }
  }
}
