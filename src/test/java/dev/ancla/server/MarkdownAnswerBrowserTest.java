package dev.ancla.server;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.testing.FakeOpenAi;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chat model's Markdown on the chat page, in a real headless Chromium: rendered as it streams, to
 * a safe subset (no raw HTML, no javascript: links). The model is a local fake that streams the
 * answer in two parts and waits between them until the test has looked at the first.
 */
class MarkdownAnswerBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String FIRST =
      "Según **la guía de faros** [1], hay dos pasos:\n\n- instala `ancla`\n- ejecuta `./ancla sync`\n\n";
  static final String SECOND =
      "<script>window.__xss=1</script>\n\n"
          + "[malo](javascript:window.__xss=2) y [bueno](https://example.com/faros)"
          + " y <img src=x onerror=\"window.__xss=3\"> y <a href=\"javascript:window.__xss=4\">x</a>"
          + " y [admin](/admin) y [otra cita](#cite-99-1)";

  @TempDir static Path dir;
  static FakeOpenAi llm;
  static TestServer s;
  static Chromium browser;

  /** Opened by the test once it has seen the first part on the page. */
  static final CountDownLatch firstPartSeen = new CountDownLatch(1);

  @BeforeAll
  static void start() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(
        docs.resolve("faros.md"),
        "# Guía de faros\n\nEl faro rojo se instala con ancla y se sincroniza con ancla sync.\n");
    llm = new FakeOpenAi(MarkdownAnswerBrowserTest::streamInTwoParts);
    browser = Chromium.launch(dir.resolve("chromium"));
    s =
        TestServer.open(
            dir.resolve("data"),
            docs,
            "ANCLA_LLM_URL",
            llm.baseUrl().toString(),
            "ANCLA_LLM_MODEL",
            "fake-model");
    JsonNode job = s.awaitIdle(Duration.ofMinutes(2));
    assertEquals("complete", job.path("state").asText(), job.toString());
  }

  @AfterAll
  static void stop() {
    firstPartSeen.countDown();
    if (browser != null) browser.close();
    if (s != null) s.close();
    if (llm != null) llm.close();
  }

  private static void streamInTwoParts(
      com.sun.net.httpserver.HttpExchange exchange, JsonNode request)
      throws java.io.IOException, InterruptedException {
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    delta(out, FIRST);
    firstPartSeen.await(30, TimeUnit.SECONDS);
    delta(out, SECOND);
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void delta(OutputStream out, String content) throws java.io.IOException {
    var chunk =
        Map.of(
            "id",
            "c1",
            "object",
            "chat.completion.chunk",
            "model",
            "fake-model",
            "choices",
            List.of(Map.of("index", 0, "delta", Map.of("content", content))));
    out.write(
        ("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Test
  void aStreamedAnswerShowsItsMarkdownAndNoScriptOrJavascriptLink() throws Exception {
    browser.open(s.base.resolve("/"));
    browser.type("#question", "¿Cómo se instala el faro rojo?");
    browser.pressEnter();

    // While the model is still writing: the first part is already rendered.
    browser.waitFor(
        "document.querySelector('.turn[aria-busy=true] .answer strong')"
            + " && document.querySelectorAll('.turn .answer li').length === 2",
        Duration.ofSeconds(60),
        "the first part rendered while streaming");
    assertEquals(
        "la guía de faros", browser.text("document.querySelector('.answer strong').textContent"));
    firstPartSeen.countDown();

    browser.waitFor(
        "document.querySelector('.turn[aria-busy=false]')", Duration.ofSeconds(60), "the answer");
    Thread.sleep(300); // an onerror handler would have fired by now
    assertEquals(
        List.of("instala ancla", "ejecuta ./ancla sync"),
        List.of(
            browser.text("document.querySelectorAll('.answer li')[0].textContent"),
            browser.text("document.querySelectorAll('.answer li')[1].textContent")));
    assertEquals(
        "./ancla sync",
        browser.text("document.querySelectorAll('.answer li code')[1].textContent"));
    assertTrue(
        browser.eval("!!document.querySelector('.answer a.cite[href^=\"#cite-\"]')").asBoolean(),
        "the [1] marker still links to its citation");
    assertEquals(
        0,
        browser
            .eval("document.querySelectorAll('main script, main img, main iframe').length")
            .asInt());
    assertTrue(browser.eval("window.__xss === undefined").asBoolean(), "no injected script ran");
    assertEquals(
        0,
        browser
            .eval(
                "[...document.querySelectorAll('.answer a')]"
                    + ".filter(a => !/^(https?:|#cite-)/.test(a.getAttribute('href'))).length")
            .asInt(),
        "only http(s) and citation links");
    assertEquals(
        "https://example.com/faros",
        browser.text("document.querySelector('.answer a[target=_blank]').getAttribute('href')"));
    String shown = browser.text("document.querySelector('.answer').textContent");
    assertTrue(
        shown.contains("<script>window.__xss=1</script>"), "raw HTML is shown as text: " + shown);
    assertTrue(shown.contains("[malo](javascript:window.__xss=2)"), shown);
    assertTrue(shown.contains("[admin](/admin)"), "not a citation of this answer: " + shown);
    assertTrue(shown.contains("[otra cita](#cite-99-1)"), shown);
    assertEquals(
        List.of(), browser.problems.stream().filter(p -> !p.startsWith("network:")).toList());
  }
}
