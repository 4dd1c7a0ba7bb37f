package dev.ancla.index;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {
  @TempDir Path dir;

  /** Holds the lock of args[0] until killed; says "locked" once it has it. */
  public static void main(String[] args) throws Exception {
    try (var _ = DataDirLock.acquire(Path.of(args[0]))) {
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(60_000);
    }
  }

  @Test
  void aSecondProcessGetsAnErrorNamingTheDirectoryAndTheHoldersPid() throws Exception {
    Process holder =
        ChildJvm.builder(DataDirLockTest.class, Map.of(), dir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      var reader =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("locked", reader.readLine());
      var e = assertThrows(DataDirLock.HeldException.class, () -> DataDirLock.acquire(dir));
      assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
      assertTrue(e.getMessage().contains("pid " + holder.pid()), e.getMessage());
    } finally {
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    // a killed holder leaves no stale lock behind
    try (var lock = DataDirLock.acquire(dir)) {
      assertNotNull(lock);
    }
  }
}
