package dev.ancla.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local server speaking the OpenAI chat and embeddings APIs (the JDK's HTTP server on a free
 * loopback port). Each request is answered by the next scripted {@link Reply}, or the default one
 * when the script is used up; every request is recorded.
 */
public final class FakeOpenAi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the server does with one request. */
  @FunctionalInterface
  public interface Reply {
    void answer(HttpExchange exchange, JsonNode request) throws IOException, InterruptedException;
  }

  /** A request as received. */
  public record Request(String path, String authorization, JsonNode body) {}

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  public final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Reply fallback;

  public FakeOpenAi(Reply fallback) throws IOException {
    this.fallback = fallback;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(Thread.ofPlatform().daemon(true).factory()));
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? JSON.nullNode() : JSON.readTree(raw);
            requests.add(
                new Request(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    body));
            Reply reply = script.poll();
            (reply == null ? fallback : reply).answer(exchange, body);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IOException e) {
            // the client went away (a timeout test)
          }
        });
    server.start();
  }

  /** The base URL, like https://api.openai.com/v1. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  public FakeOpenAi then(Reply reply) {
    script.add(reply);
    return this;
  }

  // --- replies ---

  public static Reply json(int status, Object body, String... headers) {
    return (exchange, request) -> {
      for (int i = 0; i < headers.length; i += 2)
        exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
      byte[] bytes = JSON.writeValueAsBytes(body);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    };
  }

  public static Reply error(int status, String message, String... headers) {
    return json(status, Map.of("error", Map.of("message", message, "type", "test")), headers);
  }

  /** A streamed chat completion whose deltas are {@code pieces}, then [DONE]. */
  public static Reply chatStream(String... pieces) {
    return (exchange, request) -> {
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      String model = request.path("model").asText();
      write(
          out,
          Map.of(
              "id",
              "c1",
              "object",
              "chat.completion.chunk",
              "model",
              model,
              "choices",
              List.of(Map.of("index", 0, "delta", Map.of("role", "assistant", "content", "")))));
      for (String piece : pieces) {
        write(
            out,
            Map.of(
                "id",
                "c1",
                "object",
                "chat.completion.chunk",
                "model",
                model,
                "choices",
                List.of(Map.of("index", 0, "delta", Map.of("content", piece)))));
      }
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    };
  }

  /** A whole (non-streamed) chat completion whose message is {@code content}. */
  public static Reply chatCompletion(String content) {
    return (exchange, request) ->
        json(
                200,
                Map.of(
                    "id",
                    "c1",
                    "object",
                    "chat.completion",
                    "model",
                    request.path("model").asText(),
                    "choices",
                    List.of(
                        Map.of(
                            "index",
                            0,
                            "message",
                            Map.of("role", "assistant", "content", content),
                            "finish_reason",
                            "stop"))))
            .answer(exchange, request);
  }

  /** Headers, one comment, then silence for {@code millis}. */
  public static Reply stall(long millis) {
    return (exchange, request) -> {
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      exchange.getResponseBody().write(": thinking\n\n".getBytes(StandardCharsets.UTF_8));
      exchange.getResponseBody().flush();
      Thread.sleep(millis);
    };
  }

  /** No answer at all for {@code millis}. */
  public static Reply silence(long millis) {
    return (exchange, request) -> Thread.sleep(millis);
  }

  /**
   * An embeddings answer: each input gets a {@code dimension}-long vector derived from its text
   * (deterministic, not normalized, like some providers).
   */
  public static Reply embeddings(int dimension) {
    return (exchange, request) -> {
      var data = new java.util.ArrayList<Map<String, Object>>();
      JsonNode input = request.path("input");
      for (int i = 0; i < input.size(); i++) {
        String text = input.get(i).asText();
        double[] v = new double[dimension];
        for (int d = 0; d < dimension; d++) v[d] = ((text.hashCode() >> (d % 16)) & 7) + d + 1;
        data.add(Map.of("object", "embedding", "index", i, "embedding", v));
      }
      java.util.Collections.reverse(data); // the index field, not the order, says which is which
      json(200, Map.of("object", "list", "data", data, "model", request.path("model").asText()))
          .answer(exchange, request);
    };
  }

  private static void write(OutputStream out, Object event) throws IOException {
    out.write(
        ("data: " + JSON.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
