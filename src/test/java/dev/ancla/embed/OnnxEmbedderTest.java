package dev.ancla.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ancla.testing.ChildJvm;
import dev.ancla.testing.TestModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real bundled model; no mocks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxEmbedderTest {
  private OnnxEmbedder embedder;

  @BeforeAll
  void load() {
    embedder = OnnxEmbedder.bundled();
  }

  @AfterAll
  void close() {
    embedder.close();
  }

  @Test
  void bundledModelDescribesItself() {
    ModelInfo info = embedder.info();
    assertEquals("all-minilm-l6-v2-q", info.name());
    assertEquals(384, info.dimension());
    assertEquals(256, info.maxTokens());
    assertTrue(info.fingerprint().matches("[0-9a-f]{16}"), info.fingerprint());
  }

  @Test
  void vectorsAreUnitLengthWith384Floats() {
    for (String text : List.of("hola", "", "Where is the library?", SpanishText.words(100, 1))) {
      float[] v = embedder.embed(text);
      assertEquals(384, v.length);
      assertEquals(1.0, norm(v), 1e-4, text);
    }
  }

  @Test
  void aTextsVectorDoesNotDependOnWhatIsEmbeddedAlongside() throws Exception {
    var texts = new ArrayList<String>();
    texts.add("vacaciones");
    texts.add("The cat sleeps on the sofa.");
    for (int words : List.of(10, 40, 90, 150, 400)) texts.add(SpanishText.words(words, words));
    var alone = new ArrayList<float[]>();
    for (String text : texts) alone.add(embedder.embed(text));

    // the same texts, shuffled, several times over, from four threads at once
    var jobs = new ArrayList<Callable<float[]>>();
    var order = new ArrayList<Integer>();
    for (int round = 0; round < 6; round++) {
      for (int i = 0; i < texts.size(); i++) order.add(i);
    }
    Collections.shuffle(order, new Random(7));
    for (int i : order) jobs.add(() -> embedder.embed(texts.get(i)));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> results = pool.invokeAll(jobs);
      double worst = 1;
      for (int k = 0; k < order.size(); k++) {
        worst = Math.min(worst, cosine(alone.get(order.get(k)), results.get(k).get()));
      }
      System.out.println("determinism: lowest cosine alone vs concurrent = " + worst);
      assertTrue(worst >= 0.9999, "lowest cosine " + worst);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aParaphraseIsCloserThanAnUnrelatedText() {
    float[] spanish = embedder.embed("El gato duerme en el sofá.");
    float[] english = embedder.embed("The cat sleeps on the sofa.");
    float[] unrelated = embedder.embed("Quarterly revenue grew by ten percent.");
    double paraphrase = cosine(spanish, english);
    double other = cosine(spanish, unrelated);
    assertTrue(paraphrase > other, "paraphrase " + paraphrase + " vs unrelated " + other);
    assertTrue(
        cosine(
                embedder.embed("Where is the library?"),
                embedder.embed("Where can I find the library?"))
            > cosine(embedder.embed("Where is the library?"), unrelated));
  }

  @Test
  void longTextsAreCutToTheModelsLimit() {
    String long2000 = SpanishText.words(2000, 3);
    float[] v = embedder.embed(long2000);
    assertEquals(1.0, norm(v), 1e-4);
    // both are cut at 256 tokens, so what follows never matters
    float[] more = embedder.embed(long2000 + " Y esto ya no entra en el vector.");
    assertEquals(1.0, cosine(v, more), 1e-6);
  }

  /**
   * Loading the model natively takes much of the loading thread's stack, the more the longer the
   * process's command line: a cold `ancla search` started with a long class path died with SIGSEGV
   * on its 1 MB main thread. The factories load on a thread of their own; here a fresh JVM with a
   * long command line and a small main thread loads the model.
   */
  @Test
  void loadsOnAFreshJvmWithALongCommandLineAndASmallMainThread() throws Exception {
    var builder =
        ChildJvm.builder(
            LoadModelMain.class, Map.of("JAVA_TOOL_OPTIONS", "-Xss512k"), "x".repeat(8000));
    builder.redirectErrorStream(true);
    Process child = builder.start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child did not exit");
    assertEquals(0, child.exitValue(), out);
    assertTrue(out.strip().endsWith("384"), out);
  }

  @Test
  void theBundledModelsKnownFingerprintIsTheHashOfItsBytes() throws IOException {
    try (InputStream bytes = ModelFiles.bundled().openModel()) {
      assertEquals(
          ModelFiles.BUNDLED_FINGERPRINT,
          Fingerprint.of(
              bytes,
              Pooling.MEAN,
              OnnxEmbedder.BUNDLED_DIMENSION,
              OnnxEmbedder.BUNDLED_MAX_TOKENS));
    }
    assertEquals(ModelFiles.BUNDLED_FINGERPRINT, embedder.info().fingerprint());
  }

  @Test
  void fingerprintIsStableAndFollowsTheSettings(@TempDir Path dir) throws IOException {
    try (var again = OnnxEmbedder.bundled()) {
      assertEquals(embedder.info().fingerprint(), again.info().fingerprint());
    }
    writeBundledModelTo(dir);
    try (var sameBytes = OnnxEmbedder.fromDirectory(dir, Pooling.MEAN, 384, 256);
        var cls = OnnxEmbedder.fromDirectory(dir, Pooling.CLS, 384, 256);
        var shorter = OnnxEmbedder.fromDirectory(dir, Pooling.MEAN, 384, 128)) {
      assertEquals(embedder.info().fingerprint(), sameBytes.info().fingerprint());
      assertNotEquals(embedder.info().fingerprint(), cls.info().fingerprint());
      assertNotEquals(embedder.info().fingerprint(), shorter.info().fingerprint());
    }
  }

  @Test
  void aModelDirectoryGivesTheSameVectorsAsTheBundledModel(@TempDir Path tmp) throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("minilm-copy"));
    writeBundledModelTo(dir);
    try (var user = OnnxEmbedder.fromDirectory(dir, Pooling.MEAN, 384, 256)) {
      assertEquals("minilm-copy", user.info().name());
      for (String text : List.of("hola", SpanishText.words(300, 5))) {
        assertArrayEquals(embedder.embed(text), user.embed(text), 1e-6f);
      }
      assertEquals(embedder.tokens().count("¿Dónde está?"), user.tokens().count("¿Dónde está?"));
    }
  }

  @Test
  void aWrongDimensionFailsAtLoadWithTheRightOne(@TempDir Path dir) throws IOException {
    writeBundledModelTo(dir);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OnnxEmbedder.fromDirectory(dir, Pooling.MEAN, 768, 256));
    assertTrue(e.getMessage().contains("produces 384-dimensional"), e.getMessage());
    assertTrue(e.getMessage().contains("768"), e.getMessage());
    assertTrue(e.getMessage().contains("model.onnx"), e.getMessage());
  }

  @Test
  void missingFilesAreNamed(@TempDir Path dir) throws IOException {
    writeBundledModelTo(dir);
    Files.delete(dir.resolve("tokenizer.json"));
    var noTokenizer =
        assertThrows(
            IllegalArgumentException.class,
            () -> OnnxEmbedder.fromDirectory(dir, Pooling.MEAN, 384, 256));
    assertTrue(
        noTokenizer.getMessage().contains(dir.resolve("tokenizer.json").toString()),
        noTokenizer.getMessage());

    Path nowhere = dir.resolve("does-not-exist");
    var noDir =
        assertThrows(
            IllegalArgumentException.class,
            () -> OnnxEmbedder.fromDirectory(nowhere, Pooling.MEAN, 384, 256));
    assertTrue(noDir.getMessage().contains(nowhere.toString()), noDir.getMessage());
    assertTrue(noDir.getMessage().contains("model.onnx and tokenizer.json"), noDir.getMessage());
  }

  @Test
  void aFileThatIsNotAModelIsRefusedClearly(@TempDir Path dir) throws IOException {
    writeBundledModelTo(dir);
    Files.writeString(dir.resolve("model.onnx"), "not a model");
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OnnxEmbedder.fromDirectory(dir, Pooling.MEAN, 384, 256));
    assertTrue(e.getMessage().contains("not a model ONNX Runtime can load"), e.getMessage());
  }

  @Test
  void embedAfterCloseIsAClearError() {
    var other = OnnxEmbedder.bundled();
    other.close();
    other.close(); // idempotent
    var e = assertThrows(IllegalStateException.class, () -> other.embed("hola"));
    assertTrue(e.getMessage().contains("closed"));
  }

  /**
   * serve stopping during a reindex closed the model under its embedding threads: a use after free
   * in ONNX Runtime, and the JVM died with SIGSEGV (that would end this test's JVM too). Each call
   * now either finishes with a vector or fails cleanly once close has begun.
   */
  @Test
  void closingWhileTextsAreEmbeddedOnOtherThreadsEndsEachCallCleanly() throws Exception {
    var other = OnnxEmbedder.bundled();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    var vectors = new java.util.concurrent.atomic.AtomicInteger();
    var refused = new java.util.concurrent.atomic.AtomicInteger();
    var started = new java.util.concurrent.CountDownLatch(4);
    var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
    for (int t = 0; t < 4; t++) {
      futures.add(
          pool.submit(
              () -> {
                started.countDown();
                while (true) {
                  try {
                    assertEquals(384, other.embed(LONG_TEXT + vectors.get()).length);
                    vectors.incrementAndGet();
                  } catch (IllegalStateException e) {
                    assertTrue(e.getMessage().contains("closed"), e.getMessage());
                    refused.incrementAndGet();
                    return;
                  }
                }
              }));
    }
    started.await();
    Thread.sleep(200);
    other.close();
    for (var f : futures) f.get(30, java.util.concurrent.TimeUnit.SECONDS);
    pool.shutdown();
    assertTrue(vectors.get() > 0, "embedded before the close");
    assertEquals(4, refused.get(), "every thread saw the close as an error, not a crash");
  }

  /** About the model's 256 tokens: each call spends most of its time in native code. */
  private static final String LONG_TEXT =
      "La instantánea se restaura al arrancar y cada archivo se verifica con su hash. ".repeat(14);

  static void writeBundledModelTo(Path dir) throws IOException {
    TestModel.writeBundledModelTo(dir);
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) dot += (double) a[i] * b[i];
    return dot / (norm(a) * norm(b));
  }

  static double norm(float[] v) {
    double sum = 0;
    for (float x : v) sum += (double) x * x;
    return Math.sqrt(sum);
  }
}
