package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WritebackOutputStreamTest {
  @TempDir Path dir;

  @Test
  void writesEveryByteInOrderAcrossSeveralBackgroundFlushes() throws Exception {
    byte[] bytes = new byte[(int) (2.5 * WritebackOutputStream.STEP)];
    new Random(7).nextBytes(bytes);
    Path file = dir.resolve("f");
    try (var channel =
            FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        var out = new WritebackOutputStream(channel)) {
      for (int off = 0; off < bytes.length; off += 65_521) { // odd chunks, as a stream reads
        out.write(bytes, off, Math.min(65_521, bytes.length - off));
      }
      out.write(bytes, bytes.length, 0);
      out.finish();
      channel.force(true);
    }
    assertArrayEquals(bytes, Files.readAllBytes(file));
  }
}
