package dev.ancla.embed;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 50 MB of one "word" and 50 MB of Spanish, handed to the real tokenizer, the model and the parser
 * and chunker, in a child JVM with a 512 MB heap: the process survives, and its peak RSS stays
 * bounded. In one call the Spanish text alone makes some 12 million token objects on both sides of
 * the JNI boundary; an allocation failure inside the tokenizer's callback aborts the JVM (exit
 * 134).
 */
class HugeTextTest {
  @TempDir Path dir;

  @Test
  void hugeTextsGoToNativeCodeInBoundedPiecesAndTheProcessSurvives() throws Exception {
    Path log = dir.resolve("child.log");
    Process child =
        ChildJvm.builder(
                HugeTextMain.class, List.of("-Xmx256m"), Map.of(), "16", "4", dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!child.waitFor(240, TimeUnit.SECONDS)) {
      child.destroyForcibly().waitFor();
      fail("child did not finish:\n" + Files.readString(log));
    }
    String out = Files.readString(log);
    assertEquals(0, child.exitValue(), out);
    assertTrue(out.contains("word vector 384"), out);
    assertTrue(out.contains("spanish vector 384"), out);
    // the parser's character limit (50,000 here) applies before any tokenization
    assertTrue(out.contains("palabra.txt chars 50000 truncated true"), out);
    assertTrue(out.contains("español.txt chars 49999 truncated true"), out);
    long peakKb =
        Long.parseLong(
            out.lines()
                .filter(l -> l.startsWith("peak rss kb "))
                .findFirst()
                .orElseThrow()
                .substring("peak rss kb ".length()));
    System.out.println("HugeTextTest: child peak RSS " + peakKb / 1024 + " MB");
    assertTrue(peakKb < 800 * 1024, "peak RSS " + peakKb / 1024 + " MB\n" + out);
  }
}
