package dev.ancla.embed;

import static dev.ancla.testing.FakeOpenAi.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config.EmbedApiSpec;
import dev.ancla.openai.OpenAiClient;
import dev.ancla.testing.FakeOpenAi;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The embeddings provider against a local server that speaks the OpenAI embeddings API. */
class OpenAiEmbedderTest {
  static final String KEY = "sk-embed-0123456789abcdef";

  private static OpenAiEmbedder embedder(
      FakeOpenAi fake, int batch, OptionalInt dimension, OptionalInt rpm) {
    var spec =
        new EmbedApiSpec(fake.baseUrl(), "fake-embed", Optional.of(KEY), batch, dimension, rpm);
    var client =
        new OpenAiClient(
            "the embeddings API",
            fake.baseUrl(),
            Optional.of(KEY),
            "ANCLA_EMBED_API_KEY",
            Duration.ofSeconds(5),
            new OpenAiClient.Retry(3, Duration.ofMillis(10), Duration.ofMillis(50)));
    return new OpenAiEmbedder(spec, client);
  }

  @Test
  void concurrentCallsAreBatchedAndVectorsAreUnitLengthInInputOrder() throws Exception {
    try (var fake = new FakeOpenAi(embeddings(8));
        var embedder = embedder(fake, 4, OptionalInt.of(8), OptionalInt.empty())) {
      float[] alone = embedder.embed("texto 7");
      var pool = Executors.newFixedThreadPool(8);
      var futures = new ArrayList<Future<float[]>>();
      for (int i = 0; i < 40; i++) {
        String text = "texto " + i;
        futures.add(pool.submit(() -> embedder.embed(text)));
      }
      for (int i = 0; i < 40; i++) {
        float[] v = futures.get(i).get();
        assertEquals(8, v.length);
        double norm = 0;
        for (float x : v) norm += x * x;
        assertEquals(1.0, norm, 1e-5);
        if (i == 7)
          assertArrayEquals(alone, v, 1e-6f, "a vector does not depend on its batch or position");
      }
      pool.shutdown();
      for (var request : fake.requests) {
        assertEquals("/v1/embeddings", request.path());
        assertEquals("Bearer " + KEY, request.authorization());
        assertEquals("fake-embed", request.body().path("model").asText());
        assertTrue(
            request.body().path("input").size() <= 4,
            "at most ANCLA_EMBED_BATCH texts per request");
      }
      assertTrue(
          fake.requests.size() < 41, "calls were coalesced: " + fake.requests.size() + " requests");
      assertEquals("fake-embed", embedder.info().name());
      assertEquals(16, embedder.info().fingerprint().length());
    }
  }

  @Test
  void theDimensionIsLearnedOrCheckedAndTheFingerprintFollowsIt() throws Exception {
    try (var fake = new FakeOpenAi(embeddings(6))) {
      try (var learned = embedder(fake, 8, OptionalInt.empty(), OptionalInt.empty())) {
        assertEquals(6, learned.info().dimension());
        assertEquals(1, fake.requests.size(), "one probe request");
      }
      try (var wrong = embedder(fake, 8, OptionalInt.of(1536), OptionalInt.empty())) {
        var e = assertThrows(UncheckedIOException.class, () -> wrong.embed("hola"));
        assertTrue(
            e.getMessage()
                .contains(
                    "ANCLA_EMBED_DIMENSION is 1536 but model fake-embed returned vectors of 6"),
            e.getMessage());
        assertNotEquals(
            embedder(fake, 8, OptionalInt.of(6), OptionalInt.empty()).info().fingerprint(),
            wrong.info().fingerprint());
      }
    }
  }

  @Test
  void rateLimitsAreRetriedAndRequestsPaced() throws Exception {
    try (var fake = new FakeOpenAi(embeddings(4));
        var embedder = embedder(fake, 1, OptionalInt.of(4), OptionalInt.of(600))) {
      fake.then(error(429, "slow down", "Retry-After", "0"));
      long start = System.nanoTime();
      embedder.embed("uno");
      embedder.embed("dos");
      embedder.embed("tres");
      assertEquals(4, fake.requests.size(), "the 429 was retried");
      assertTrue(System.nanoTime() - start >= 200_000_000L, "600 per minute: 100 ms apart");
    }
    try (var fake = new FakeOpenAi(error(401, "bad key " + KEY));
        var embedder = embedder(fake, 1, OptionalInt.of(4), OptionalInt.empty())) {
      var e = assertThrows(UncheckedIOException.class, () -> embedder.embed("uno"));
      assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
      assertTrue(e.getMessage().contains("check ANCLA_EMBED_API_KEY"), e.getMessage());
      assertFalse(e.getMessage().contains(KEY), e.getMessage());
    }
  }

  @Test
  void approximateTokensCoverTheText() {
    var counter = new ApproximateTokenCounter();
    assertEquals(
        List.of(
            new TokenCounter.Span(0, 4),
            new TokenCounter.Span(4, 6),
            new TokenCounter.Span(7, 9),
            new TokenCounter.Span(9, 10)),
        counter.spans("índice es."));
    assertEquals(4, counter.count("índice es."));
  }
}
