package dev.ancla.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.embed.Embedder;
import dev.ancla.testing.RandomCorpus;
import dev.ancla.testing.TestAncla;
import dev.ancla.testing.TestModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** A real server on a free loopback port over a real index, and a client for it. */
final class TestServer implements AutoCloseable {
  static final String ADMIN = "admin-token-0123456789";
  static final String API = "api-token-0123456789ab";
  private static final ObjectMapper JSON = new ObjectMapper();

  final AnclaServer server;
  final URI base;
  final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private TestServer(AnclaServer server) {
    this.server = server;
    this.base = URI.create("http://127.0.0.1:" + server.port());
  }

  /** Starts the server (port open, index not yet); {@code pairs} are extra ANCLA_* variables. */
  static TestServer start(Path data, Path sources, String... pairs) {
    return start(TestModel::shared, data, sources, pairs);
  }

  /** {@link #start} with {@code model} configured instead of the bundled one. */
  static TestServer start(Supplier<Embedder> model, Path data, Path sources, String... pairs) {
    var env = TestAncla.env(data, sources, pairs);
    env.putIfAbsent("ANCLA_PORT", "0");
    env.putIfAbsent("ANCLA_HOST", "127.0.0.1");
    Config config = TestAncla.config(env);
    var parts = TestAncla.parts(config);
    return new TestServer(
        AnclaServer.start(
            config,
            new Ancla.Parts(model, parts.parser(), parts.clock()),
            Clock.systemUTC(),
            Duration.ofMillis(100)));
  }

  /** {@link #start} with the index's directory wrapped by {@code disk} (faults on the disk). */
  static TestServer start(
      Path data,
      Path sources,
      java.util.function.UnaryOperator<org.apache.lucene.store.Directory> disk,
      String... pairs) {
    var env = TestAncla.env(data, sources, pairs);
    env.putIfAbsent("ANCLA_PORT", "0");
    env.putIfAbsent("ANCLA_HOST", "127.0.0.1");
    Config config = TestAncla.config(env);
    var parts = TestAncla.parts(config);
    return new TestServer(
        AnclaServer.start(
            config,
            new Ancla.Parts(
                TestModel::shared, parts.parser(), parts.clock(), java.util.Optional.empty(), disk),
            Clock.systemUTC(),
            Duration.ofMillis(100)));
  }

  /** Starts and opens: ready when it returns. */
  static TestServer open(Path data, Path sources, String... pairs) throws IOException {
    var s = start(data, sources, pairs);
    s.server.open();
    return s;
  }

  /**
   * Opens over the sample documents with the admin and API tokens (and {@code pairs}), then waits
   * for the first sync to complete: ready to ask when it returns.
   */
  static TestServer samples(Path data, String... pairs) throws IOException, InterruptedException {
    var env =
        new java.util.ArrayList<>(List.of("ANCLA_ADMIN_TOKEN", ADMIN, "ANCLA_API_TOKEN", API));
    env.addAll(List.of(pairs));
    var s = open(data, Path.of("samples").toAbsolutePath(), env.toArray(String[]::new));
    JsonNode job = s.awaitIdle(Duration.ofMinutes(3));
    if (!"complete".equals(job.path("state").asText())) {
      s.close();
      throw new AssertionError("the first sync did not complete: " + job);
    }
    return s;
  }

  record Response(int status, String body, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String error() {
      return json().path("error").asText();
    }
  }

  Response get(String path, String... headers) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), headers);
  }

  Response post(String path, String... headers) {
    return send(
        HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()),
        headers);
  }

  /** POSTs {@code json} as the body, with {@code Content-Type: application/json}. */
  Response postJson(String path, String json, String... headers) {
    var request =
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    return send(request, headers);
  }

  static String[] bearer(String token) {
    return new String[] {"Authorization", "Bearer " + token};
  }

  Response send(HttpRequest.Builder request, String... headers) {
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      var response =
          client.send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until no job runs and one has finished; returns the last job. */
  JsonNode awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = get("/api/status", bearer(ADMIN)).json();
      if (status.path("job").isNull() && !status.path("lastJob").isNull()) {
        return status.path("lastJob");
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the job did not finish within " + timeout);
  }

  @Override
  public void close() {
    server.shutdown();
  }

  /** Writes {@code files} Markdown files of random words; see {@link RandomCorpus}. */
  static List<Path> corpus(Path dir, int files, long seed) throws IOException {
    return RandomCorpus.write(dir, files, seed);
  }
}
