package dev.ancla.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Raw model speed on realistic chunks. Runs only on demand: ./mvnw -Pbench test
 * -Dtest=EmbedThroughputBench
 */
@Tag("bench")
class EmbedThroughputBench {

  @Test
  void spanishChunksPerSecond() throws Exception {
    long t0 = System.nanoTime();
    try (var embedder = OnnxEmbedder.bundled()) {
      long t1 = System.nanoTime();
      System.out.printf(
          "first load (natives, tokenizers, session, fingerprint, probe): %d ms%n",
          (t1 - t0) / 1_000_000);
      for (int i = 0; i < 3; i++) {
        long s = System.nanoTime();
        ModelFiles.Bundled files = ModelFiles.bundled();
        long read = System.nanoTime();
        try (var model = OnnxModel.open(files)) {
          long opened = System.nanoTime();
          System.out.printf(
              "read bytes %d ms, session creation %d ms%n",
              (read - s) / 1_000_000, (opened - read) / 1_000_000);
        }
      }
      long s = System.nanoTime();
      OnnxEmbedder.bundled().close();
      System.out.printf("later load: %d ms%n", (System.nanoTime() - s) / 1_000_000);

      List<String> chunks = chunksOf(embedder.tokens(), 240, 48);
      for (String c : chunks.subList(0, 16)) embedder.embed(c); // warm-up
      for (int threads : List.of(1, 2, 1, 2)) {
        System.out.printf(
            "%d thread(s): %.1f chunks/s (240 tokens of Spanish each)%n",
            threads, rate(embedder, chunks, threads));
      }
    }
  }

  private static double rate(Embedder embedder, List<String> chunks, int threads) throws Exception {
    var jobs = new ArrayList<Callable<float[]>>();
    for (int round = 0; round < 3; round++) {
      for (String c : chunks) jobs.add(() -> embedder.embed(c));
    }
    var pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      for (var f : pool.invokeAll(jobs)) f.get();
      return jobs.size() / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdown();
    }
  }

  /** n different chunks of exactly `tokens` tokens, cut from Spanish prose at token boundaries. */
  static List<String> chunksOf(TokenCounter counter, int tokens, int n) {
    var result = new ArrayList<String>();
    for (int i = 0; i < n; i++) {
      String text = SpanishText.words(tokens, 100 + i);
      var spans = counter.spans(text);
      String chunk = text.substring(0, spans.get(tokens - 1).end());
      assertEquals(tokens, counter.count(chunk));
      result.add(chunk);
    }
    return result;
  }
}
