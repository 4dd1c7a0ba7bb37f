package dev.ancla.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.cli.Main;
import dev.ancla.testing.ChildJvm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** One `ancla serve` in a child JVM on a free loopback port, and HTTP calls to it. */
final class ServeProcess implements AutoCloseable {
  static final String ADMIN = "admin-token-for-followers-0123";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  final String name;
  final Process process;
  final URI url;
  final Path log;

  private ServeProcess(String name, Process process, URI url, Path log) {
    this.name = name;
    this.process = process;
    this.url = url;
    this.log = log;
  }

  /** Starts serve with {@code env} (the store's and the test's settings) on its own data dir. */
  static ServeProcess start(String name, Path dir, Map<String, String> env) throws Exception {
    return launch(name, dir, env).call();
  }

  /**
   * Starts the process now; the returned call waits for its URL. Several can be launched before any
   * is awaited, so that they boot at the same moment.
   */
  static java.util.concurrent.Callable<ServeProcess> launch(
      String name, Path dir, Map<String, String> env) throws Exception {
    Path data = dir.resolve(name);
    Path out = dir.resolve(name + ".out");
    Path log = dir.resolve(name + ".log");
    var all = new HashMap<>(env);
    all.put("ANCLA_DATA_DIR", data.toString());
    all.put("ANCLA_HOST", "127.0.0.1");
    all.put("ANCLA_PORT", "0");
    all.put("ANCLA_ADMIN_TOKEN", ADMIN);
    Process p =
        ChildJvm.builder(Main.class, java.util.List.of("-Xmx512m"), all, "serve")
            .redirectOutput(out.toFile())
            .redirectError(log.toFile())
            .start();
    return () -> awaitUrl(name, p, out, log);
  }

  private static ServeProcess awaitUrl(String name, Process p, Path out, Path log)
      throws Exception {
    var pattern = Pattern.compile("ancla serving on (http://\\S+)");
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline && p.isAlive()) {
      var m = pattern.matcher(Files.readString(out));
      if (m.find()) {
        return new ServeProcess(name, p, URI.create(m.group(1)), log);
      }
      Thread.sleep(50);
    }
    p.destroyForcibly();
    throw new AssertionError(name + " printed no URL: " + Files.readString(log));
  }

  record Reply(int status, JsonNode json, String body) {}

  Reply get(String path) throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(url.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + ADMIN)
            .build();
    return reply(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  Reply post(String path) throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(url.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + ADMIN)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return reply(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  private static Reply reply(HttpResponse<String> response) {
    JsonNode json;
    try {
      json = JSON.readTree(response.body());
    } catch (IOException e) {
      json = JSON.missingNode();
    }
    return new Reply(response.statusCode(), json, response.body());
  }

  /** Polls /api/status until {@code until} holds; fails with the last status and the log. */
  JsonNode awaitStatus(Predicate<JsonNode> until, Duration within, String what) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " died waiting for " + what + ":\n" + logText());
      }
      try {
        Reply r = get("/api/status");
        last = r.body();
        if (r.status() == 200 && until.test(r.json())) {
          return r.json();
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        name + ": no " + what + " within " + within + "; last status " + last + "\n" + logText());
  }

  String logText() throws IOException {
    String text = Files.readString(log);
    return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
  }

  void sigkill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
