package dev.ancla.embed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.config.Config.EmbedApiSpec;
import dev.ancla.openai.OpenAiClient;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Embeddings from an OpenAI-compatible API ({@code POST /embeddings}) instead of the in-process
 * model. Concurrent {@link #embed} calls (the pipeline's embedding threads) are coalesced into
 * requests of up to {@code ANCLA_EMBED_BATCH} texts, one request at a time, spaced to respect
 * {@code ANCLA_EMBED_RPM}; 429, 5xx and network errors are retried with backoff by {@link
 * OpenAiClient}. Vectors are L2-normalized here, whatever the service does. The API computes each
 * input on its own, so a vector does not depend on its batch (ARCHITECTURE.md decision 12) as far
 * as the service keeps that promise.
 *
 * <p>Tokens are counted approximately ({@link ApproximateTokenCounter}): the service's tokenizer is
 * not available locally. The fingerprint is a hash of URL, model and dimension: a change of any of
 * them means new vectors.
 */
public final class OpenAiEmbedder implements Embedder {
  /** Most OpenAI-compatible embedding models read 8191 tokens; chunks are far smaller. */
  static final int MAX_TOKENS = 8_191;

  private record Pending(String text, CompletableFuture<float[]> vector) {}

  private final EmbedApiSpec spec;
  private final OpenAiClient client;
  private final ModelInfo info;
  private final TokenCounter tokens = new ApproximateTokenCounter();
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock sending = new ReentrantLock();
  private final long minNanosBetweenRequests;
  private long lastRequestNanos; // guarded by sending

  /**
   * Connects lazily; when {@code ANCLA_EMBED_DIMENSION} is unset, one probe request learns the
   * dimension now.
   */
  public OpenAiEmbedder(EmbedApiSpec spec, OpenAiClient client) {
    this.spec = spec;
    this.client = client;
    this.minNanosBetweenRequests =
        spec.requestsPerMinute().isPresent()
            ? TimeUnit.MINUTES.toNanos(1) / spec.requestsPerMinute().getAsInt()
            : 0;
    this.lastRequestNanos = System.nanoTime() - minNanosBetweenRequests;
    int dimension;
    if (spec.dimension().isPresent()) {
      dimension = spec.dimension().getAsInt();
    } else {
      try {
        dimension = request(List.of("dimension probe"), 0).getFirst().length;
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot reach the embeddings API to learn the dimension: " + e.getMessage(), e);
      }
    }
    this.info = new ModelInfo(spec.model(), dimension, MAX_TOKENS, fingerprint(spec, dimension));
  }

  static String fingerprint(EmbedApiSpec spec, int dimension) {
    return Fingerprint.ofText(spec.baseUrl() + "\n" + spec.model() + "\n" + dimension);
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public TokenCounter tokens() {
    return tokens;
  }

  @Override
  public float[] embed(String text) {
    var pending = new Pending(text, new CompletableFuture<>());
    queue.add(pending);
    while (!pending.vector().isDone()) {
      if (sending.tryLock()) {
        try {
          sendBatch();
        } finally {
          sending.unlock();
        }
      } else {
        try {
          pending.vector().get(20, TimeUnit.MILLISECONDS); // another thread is sending; maybe ours
        } catch (TimeoutException | ExecutionException _) {
          // loop: done, or our turn to send
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new UncheckedIOException(new InterruptedIOException("interrupted while embedding"));
        }
      }
    }
    try {
      return pending.vector().join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException u)
        throw new UncheckedIOException(u.getMessage(), u.getCause());
      throw e;
    }
  }

  /** Takes up to a batch from the queue and answers it. Called holding {@code sending}. */
  private void sendBatch() {
    var batch = new ArrayList<Pending>(spec.batch());
    for (Pending p; batch.size() < spec.batch() && (p = queue.poll()) != null; ) batch.add(p);
    if (batch.isEmpty()) {
      return;
    }
    try {
      List<float[]> vectors = request(batch.stream().map(Pending::text).toList(), info.dimension());
      for (int i = 0; i < batch.size(); i++) batch.get(i).vector().complete(vectors.get(i));
    } catch (IOException | RuntimeException e) {
      var failure =
          e instanceof UncheckedIOException u
              ? u
              : new UncheckedIOException(
                  e instanceof IOException io ? io : new IOException(e.getMessage(), e));
      batch.forEach(p -> p.vector().completeExceptionally(failure));
    }
  }

  /** One request; vectors in input order, normalized, each {@code dimension} long (0: any). */
  private List<float[]> request(List<String> texts, int dimension) throws IOException {
    pace();
    JsonNode response = client.post("/embeddings", Map.of("model", spec.model(), "input", texts));
    JsonNode data = response.path("data");
    if (!data.isArray() || data.size() != texts.size()) {
      throw new IOException(
          "the embeddings API at "
              + spec.baseUrl()
              + " returned "
              + data.size()
              + " vectors for "
              + texts.size()
              + " texts");
    }
    var vectors = new float[texts.size()][];
    for (JsonNode item : data) {
      int index = item.path("index").asInt(-1);
      JsonNode values = item.path("embedding");
      if (index < 0 || index >= texts.size() || !values.isArray()) {
        throw new IOException(
            "the embeddings API at "
                + spec.baseUrl()
                + " returned an item without a valid index"
                + " and embedding array (base64 encoding is not supported)");
      }
      int expected = dimension > 0 ? dimension : values.size();
      if (values.size() != expected) {
        throw new IOException(
            "ANCLA_EMBED_DIMENSION is "
                + expected
                + " but model "
                + spec.model()
                + " returned vectors of "
                + values.size()
                + "; set ANCLA_EMBED_DIMENSION="
                + values.size()
                + " (changing it re-embeds everything)");
      }
      vectors[index] = normalized(values);
    }
    return List.of(vectors);
  }

  private static float[] normalized(JsonNode values) {
    var v = new float[values.size()];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) values.get(i).asDouble();
      norm += (double) v[i] * v[i];
    }
    double scale = norm == 0 ? 1 : 1 / Math.sqrt(norm);
    for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * scale);
    return v;
  }

  /** Spaces request starts {@code 60 s / ANCLA_EMBED_RPM} apart. */
  private void pace() throws InterruptedIOException {
    long wait = lastRequestNanos + minNanosBetweenRequests - System.nanoTime();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while pacing embeddings requests");
      }
    }
    lastRequestNanos = System.nanoTime();
  }

  @Override
  public void close() {
    client.close();
  }
}
