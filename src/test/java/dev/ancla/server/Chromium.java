package dev.ancla.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium driven over the Chrome DevTools Protocol (a WebSocket from the JDK's own
 * client; no Selenium, no driver binary, nothing downloaded). One browser, one page.
 *
 * <p>Chromium comes from Debian ({@code apt-get install chromium}; {@code ./test} installs it when
 * missing). When it is missing, {@link #launch} fails the test with the command that installs it:
 * page tests never skip silently.
 */
final class Chromium implements AutoCloseable {
  static final Path BINARY =
      Path.of(System.getenv().getOrDefault("ANCLA_CHROMIUM", "/usr/bin/chromium"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  /** Console errors, uncaught exceptions and browser log errors (CSP violations among them). */
  final List<String> problems = new CopyOnWriteArrayList<>();

  private Chromium(Process process, WebSocket.Builder builder, URI page) throws Exception {
    this.process = process;
    this.socket = builder.buildAsync(page, new Listener()).get(30, TimeUnit.SECONDS);
    call("Page.enable", Map.of());
    call("Runtime.enable", Map.of());
    call("Log.enable", Map.of());
    call(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", 1100, "height", 900, "deviceScaleFactor", 1, "mobile", false));
  }

  /** Starts Chromium with a fresh profile in {@code profile} (an empty directory). */
  static Chromium launch(Path profile) throws Exception {
    if (!Files.isExecutable(BINARY)) {
      throw new AssertionError(
          "page tests need Chromium at "
              + BINARY
              + " and it is not there. Install it with"
              + " `apt-get update && apt-get install -y chromium` (./test does), or point"
              + " ANCLA_CHROMIUM at a Chromium binary");
    }
    Files.createDirectories(profile);
    Path log = profile.resolveSibling(profile.getFileName() + ".log");
    var command =
        List.of(
            BINARY.toString(),
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-quic",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--mute-audio",
            "--lang=es-ES",
            "--accept-lang=es-ES",
            "--remote-debugging-port=0",
            "--user-data-dir=" + profile,
            "about:blank");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      int port = devToolsPort(profile, process, log);
      var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI page = pageTarget(http, port);
      return new Chromium(process, http.newWebSocketBuilder(), page);
    } catch (Exception | AssertionError e) {
      stop(process);
      throw e;
    }
  }

  /** Chromium writes the port it chose into DevToolsActivePort once it listens. */
  private static int devToolsPort(Path profile, Process process, Path log) throws Exception {
    Path file = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file);
        if (!lines.isEmpty() && !lines.getFirst().isBlank()) {
          return Integer.parseInt(lines.getFirst().strip());
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "Chromium exited with " + process.exitValue() + " before it listened: " + tail(log));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("Chromium did not open its DevTools port within 60 s: " + tail(log));
  }

  private static URI pageTarget(HttpClient http, int port) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode targets =
          JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
      for (JsonNode target : targets) {
        if (target.path("type").asText().equals("page")) {
          return URI.create(target.path("webSocketDebuggerUrl").asText());
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("Chromium opened no page target");
  }

  private static String tail(Path log) {
    try {
      String text = Files.exists(log) ? Files.readString(log) : "";
      return text.length() > 2_000 ? text.substring(text.length() - 2_000) : text;
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Sends one DevTools command and waits for its result. */
  JsonNode call(String method, Map<String, ?> params) throws Exception {
    int id = ids.incrementAndGet();
    var future = new CompletableFuture<JsonNode>();
    pending.put(id, future);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", JSON.valueToTree(params));
    socket
        .sendText(JSON.writeValueAsString(message), true)
        .get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    JsonNode reply = future.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new AssertionError(method + " failed: " + reply.path("error"));
    }
    return reply.path("result");
  }

  /** Loads {@code url} and waits until the document and its deferred scripts have run. */
  void open(URI url) throws Exception {
    call("Page.navigate", Map.of("url", url.toString()));
    waitFor(
        "document.readyState === 'complete' && location.href === "
            + JSON.writeValueAsString(url.toString()),
        Duration.ofSeconds(30),
        "the page to load: " + url);
  }

  /** The value of a JavaScript expression (promises awaited); a thrown error fails the test. */
  JsonNode eval(String expression) throws Exception {
    JsonNode result =
        call(
            "Runtime.evaluate",
            Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new AssertionError(
          "evaluating `"
              + expression
              + "` threw: "
              + result.path("exceptionDetails").path("exception").path("description"));
    }
    return result.path("result").path("value");
  }

  String text(String expression) throws Exception {
    return eval(expression).asText();
  }

  /** Polls {@code condition} until it is truthy; on time-out, fails with the page's text. */
  void waitFor(String condition, Duration timeout, String what) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode value = eval("!!(" + condition + ")");
      if (value.asBoolean()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "waited "
            + timeout.toSeconds()
            + " s for "
            + what
            + "; the page says:\n"
            + text("document.body ? document.body.innerText : ''")
            + "\nbrowser problems: "
            + problems);
  }

  /** Focuses the element and types {@code text} as keyboard input would. */
  void type(String selector, String text) throws Exception {
    eval("document.querySelector(" + JSON.writeValueAsString(selector) + ").focus()");
    call("Input.insertText", Map.of("text", text));
  }

  /** Presses Enter in the focused element. */
  void pressEnter() throws Exception {
    Map<String, Object> key =
        Map.of("key", "Enter", "code", "Enter", "windowsVirtualKeyCode", 13, "text", "\r");
    call("Input.dispatchKeyEvent", withType(key, "keyDown"));
    call("Input.dispatchKeyEvent", withType(key, "keyUp"));
  }

  private static Map<String, Object> withType(Map<String, Object> key, String type) {
    var event = new java.util.HashMap<>(key);
    event.put("type", type);
    return event;
  }

  void click(String selector) throws Exception {
    eval("document.querySelector(" + JSON.writeValueAsString(selector) + ").click()");
  }

  /** A PNG of the whole page. */
  void screenshot(Path file) throws Exception {
    JsonNode shot =
        call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
  }

  @Override
  public void close() {
    try {
      call("Browser.close", Map.of());
    } catch (Exception | AssertionError e) {
      // the process is stopped below either way
    }
    socket.abort();
    stop(process);
  }

  private static void stop(Process process) {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          dispatch(JSON.readTree(text));
        } catch (IOException e) {
          problems.add("unreadable DevTools message: " + e);
        }
      }
      webSocket.request(1);
      return null;
    }

    private void dispatch(JsonNode message) {
      if (message.has("id")) {
        var future = pending.remove(message.path("id").asInt());
        if (future != null) {
          future.complete(message);
        }
        return;
      }
      JsonNode params = message.path("params");
      switch (message.path("method").asText()) {
        case "Runtime.exceptionThrown" ->
            problems.add(
                "uncaught: "
                    + params
                        .path("exceptionDetails")
                        .path("exception")
                        .path("description")
                        .asText(params.path("exceptionDetails").path("text").asText()));
        case "Runtime.consoleAPICalled" -> {
          if (params.path("type").asText().equals("error")) {
            problems.add("console.error: " + params.path("args"));
          }
        }
        case "Log.entryAdded" -> {
          JsonNode entry = params.path("entry");
          if (entry.path("level").asText().equals("error")) {
            problems.add(
                entry.path("source").asText()
                    + ": "
                    + entry.path("text").asText()
                    + " ("
                    + entry.path("url").asText()
                    + ")");
          }
        }
        default -> {}
      }
    }
  }
}
