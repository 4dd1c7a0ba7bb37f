package dev.ancla.server;

import static dev.ancla.server.TestServer.API;
import static dev.ancla.server.TestServer.bearer;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /api/ask on a real server over the sample documents, without a language model. */
class AskRoutesTest {
  @TempDir static Path dir;
  static TestServer s;

  @BeforeAll
  static void indexTheSamples() throws Exception {
    s = TestServer.samples(dir.resolve("data"));
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  static TestServer.Response ask(String body, String... headers) {
    var request =
        HttpRequest.newBuilder(s.base.resolve("/api/ask"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    return s.send(request, headers);
  }

  private static String[] withApi(String... more) {
    var all = new ArrayList<>(List.of(bearer(API)));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void extractiveAnswersCiteRealChunksOfTheSamples() throws Exception {
    var r =
        ask(
            "{\"question\": \"¿Cuánto dura el periodo de gracia de SIGTERM en App Platform?\"}",
            withApi());
    assertEquals(200, r.status(), r.body());
    JsonNode body = r.json();
    assertEquals("extractive", body.path("mode").asText());
    assertTrue(body.path("model").isNull());
    assertTrue(body.path("tookMs").isNumber());
    String answer = body.path("answer").asText();
    JsonNode citations = body.path("citations");
    assertFalse(citations.isEmpty(), body.toString());
    assertTrue(answer.contains("[1]"), answer);
    assertEveryReferenceHasACitation(answer, citations);
    assertTrue(answer.contains("120 segundos"), answer);
    assertTrue(
        citations.findValuesAsText("path").contains("despliegue-digitalocean-app-platform.docx"),
        body.toString());
    for (JsonNode c : citations) {
      for (String field :
          new String[] {"n", "source", "path", "chunk", "page", "heading", "text"}) {
        assertTrue(c.has(field), field + " in " + c);
      }
      assertEquals("samples", c.path("source").asText());
      assertTrue(
          Files.isRegularFile(Path.of("samples").resolve(c.path("path").asText())), c.toString());
      // the quoted sentence is in the chunk it cites
      int n = c.path("n").asInt();
      String chunk = c.path("text").asText().replaceAll("\\s+", " ");
      String quoted = sentenceBefore(answer, n);
      assertTrue(
          chunk.contains(quoted.substring(0, Math.min(40, quoted.length()))),
          quoted + " not in " + chunk);
    }
  }

  @Test
  void answerLatencyIsAHistogramInTheMetrics() {
    double before = answersCounted();
    ask("{\"question\": \"¿Dónde guarda Ancla los vectores?\"}", withApi());
    assertEquals(before + 1, answersCounted(), 0.0);
  }

  private static double answersCounted() {
    String metrics = s.get("/metrics").body();
    return metrics
        .lines()
        .filter(l -> l.startsWith("ancla_answer_seconds_count"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ancla_answer_seconds_count in " + metrics));
  }

  @Test
  void aQuestionTheDocumentsDoNotAnswerSaysSo() {
    JsonNode es =
        ask("{\"question\": \"¿Cuál es la receta de la paella valenciana?\"}", withApi()).json();
    assertTrue(es.path("answer").asText().startsWith("No está en los documentos"), es.toString());
    assertEquals(0, es.path("citations").size());
    JsonNode en =
        ask("{\"question\": \"What is the best recipe for chocolate cake?\", \"k\": 3}", withApi())
            .json();
    assertTrue(en.path("answer").asText().startsWith("Not in the documents"), en.toString());
  }

  @Test
  void filtersRestrictTheCitedFiles() {
    JsonNode body =
        ask(
                "{\"question\": \"copias de seguridad en S3\", \"k\": 4, \"type\": \"pdf\", \"source\": \"samples\"}",
                withApi())
            .json();
    assertFalse(body.path("citations").isEmpty(), body.toString());
    body.path("citations")
        .forEach(c -> assertTrue(c.path("path").asText().endsWith(".pdf"), c.toString()));
    body.path("citations")
        .forEach(c -> assertTrue(c.path("page").asInt() >= 1, "PDF chunks have pages: " + c));
  }

  @Test
  void streamsCitationsThenTokensThenDone() throws Exception {
    var r =
        ask(
            "{\"question\": \"¿Qué formatos de documento admite Ancla?\"}",
            withApi("Accept", "text/event-stream"));
    assertEquals(200, r.status(), r.body());
    assertTrue(
        r.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    List<String[]> events = events(r.body());
    assertEquals("citations", events.getFirst()[0], r.body());
    assertEquals("done", events.getLast()[0], r.body());
    var json = new ObjectMapper();
    var text = new StringBuilder();
    for (String[] e : events.subList(1, events.size() - 1)) {
      assertEquals("token", e[0]);
      text.append(json.readTree(e[1]).path("text").asText());
    }
    JsonNode done = json.readTree(events.getLast()[1]);
    assertEquals(done.path("answer").asText(), text.toString());
    assertEquals(done.path("citations"), json.readTree(events.getFirst()[1]));
    assertEquals("extractive", done.path("mode").asText());
  }

  @Test
  void badRequestsGet400sThatSayWhatIsAccepted() {
    assertBad("", "the body is empty");
    assertBad("[1]", "must be a JSON object");
    assertBad("{\"question\": ", "not valid JSON");
    assertBad("{}", "'question' is required");
    assertBad("{\"question\": \"   \"}", "'question' is blank");
    assertBad("{\"question\": 7}", "'question' must be a string");
    assertBad(
        "{\"question\": \"" + "a".repeat(2_001) + "\"}", "2001 characters long", "at most 2000");
    assertBad("{\"question\": \"x\", \"k\": 0}", "'k' must be a whole number from 1 to 20, got 0");
    assertBad("{\"question\": \"x\", \"k\": 21}", "from 1 to 20, got 21");
    assertBad("{\"question\": \"x\", \"k\": \"seis\"}", "got \"seis\"");
    assertBad(
        "{\"question\": \"x\", \"q\": \"y\"}",
        "unknown field 'q'",
        "accepts history, k, path, question, source, type");
    assertBad("{\"question\": \"x\", \"type\": \"p/df\"}", "'type' is \"p/df\"");
  }

  /**
   * The previous question's words find the deployment guide's section on App Platform's empty disk;
   * the follow-up's alone find other passages about disk space.
   */
  @Test
  void aShortFollowUpWithHistoryIsAnsweredFromTheDocumentOfThePreviousQuestion() throws Exception {
    String followUp = "¿Cuánto disco tiene?";
    String history =
        """
        [{"role": "user", "content": "¿Cómo despliego Ancla en DigitalOcean App Platform?"},
         {"role": "assistant", "content": "App Platform ejecuta contenedores sin volúmenes [1]."}]
        """;
    JsonNode alone = ask("{\"question\": \"" + followUp + "\"}", withApi()).json();
    assertFalse(
        alone.path("answer").asText().contains(ExtractiveChatTest.EMPTY_DISK), "alone: " + alone);
    assertEquals(
        withoutTiming(alone),
        withoutTiming(
            ask("{\"question\": \"" + followUp + "\", \"history\": []}", withApi()).json()),
        "an empty history is no history");

    var r = ask("{\"question\": \"" + followUp + "\", \"history\": " + history + "}", withApi());
    assertEquals(200, r.status(), r.body());
    JsonNode json = r.json();
    assertTrue(cites(json, ExtractiveChatTest.DEPLOY), json.toString());
    assertTrue(
        json.path("answer").asText().contains(ExtractiveChatTest.EMPTY_DISK), json.toString());
    assertEveryReferenceHasACitation(json.path("answer").asText(), json.path("citations"));

    var streamed =
        ask(
            "{\"question\": \"" + followUp + "\", \"history\": " + history + "}",
            withApi("Accept", "text/event-stream"));
    JsonNode done = new ObjectMapper().readTree(events(streamed.body()).getLast()[1]);
    assertEquals(withoutTiming(json), withoutTiming(done), "the stream ends with the same answer");
  }

  private static boolean cites(JsonNode response, String path) {
    return response.path("citations").findValuesAsText("path").contains(path);
  }

  private static JsonNode withoutTiming(JsonNode response) {
    var copy = response.deepCopy();
    ((ObjectNode) copy).remove("tookMs");
    return copy;
  }

  @Test
  void badHistoriesGet400sThatNameTheBadTurn() {
    assertBad(
        "{\"question\": \"x\", \"history\": \"hola\"}",
        "'history' must be an array of {\"role\": \"user\" or \"assistant\"",
        "got \"hola\"",
        "\"history\": [{\"role\": \"user\"");
    assertBad(
        "{\"question\": \"x\", \"history\": [{\"role\": \"user\", \"content\": \"a\"},"
            + " {\"role\": \"system\", \"content\": \"b\"}]}",
        "history[1] has role 'system'",
        "whose role is user or assistant");
    assertBad("{\"question\": \"x\", \"history\": [\"hola\"]}", "history[0] has role ''");
    assertBad(
        "{\"question\": \"x\", \"history\": [{\"role\": \"user\", \"content\": 7}]}",
        "history[0].content must be a string");
    String turn = "{\"role\": \"user\", \"content\": \"a\"}";
    assertBad(
        "{\"question\": \"x\", \"history\": ["
            + String.join(", ", Collections.nCopies(41, turn))
            + "]}",
        "'history' has 41 turns; at most 40");
    String user = "{\"role\": \"user\", \"content\": \"" + "a".repeat(16_000) + "\"}";
    String assistant = "{\"role\": \"assistant\", \"content\": \"%s\"}";
    assertBad(
        "{\"question\": \"x\", \"history\": [%s, %s]}"
            .formatted(user, assistant.formatted("b".repeat(16_001))),
        "'history' has 32001 characters of content; at most 32000");
    var atTheLimit =
        ask(
            "{\"question\": \"x\", \"history\": [%s, %s]}"
                .formatted(user, assistant.formatted("b".repeat(16_000))),
            withApi());
    assertEquals(200, atTheLimit.status(), "32000 characters are accepted: " + atTheLimit.error());
  }

  @Test
  void askNeedsTheApiToken() {
    var r = ask("{\"question\": \"¿Qué es Ancla?\"}");
    assertEquals(401, r.status(), r.body());
    assertTrue(r.error().contains("ANCLA_API_TOKEN"), r.body());
    assertEquals(405, s.get("/api/ask", bearer(API)).status());
  }

  private static void assertBad(String body, String... expected) {
    var r = ask(body, withApi());
    assertEquals(400, r.status(), body + " -> " + r.body());
    for (String part : expected) {
      assertTrue(r.error().contains(part), "\"" + r.error() + "\" should contain \"" + part + "\"");
    }
  }

  static void assertEveryReferenceHasACitation(String answer, JsonNode citations) {
    var matcher = Pattern.compile("\\[(\\d+)\\]").matcher(answer);
    int highest = 0;
    while (matcher.find()) {
      int n = Integer.parseInt(matcher.group(1));
      assertTrue(n >= 1 && n <= citations.size(), "[" + n + "] has no citation: " + answer);
      assertTrue(n <= highest + 1, "[" + n + "] out of order: " + answer);
      highest = Math.max(highest, n);
    }
    assertEquals(citations.size(), highest, answer);
    for (int i = 0; i < citations.size(); i++) {
      assertEquals(i + 1, citations.get(i).path("n").asInt());
    }
  }

  /** The text of the first sentence that {@code [n]} follows. */
  private static String sentenceBefore(String answer, int n) {
    int at = answer.indexOf("[" + n + "]");
    String before = answer.substring(0, at).strip();
    int start = before.lastIndexOf("] ");
    return start < 0 ? before : before.substring(start + 2);
  }

  /** {@code [event, data]} pairs of an SSE body. */
  static List<String[]> events(String body) {
    var events = new ArrayList<String[]>();
    for (String frame : body.split("\n\n")) {
      String event = null;
      String data = null;
      for (String line : frame.split("\n")) {
        if (line.startsWith("event: ")) event = line.substring(7);
        if (line.startsWith("data: ")) data = line.substring(6);
      }
      if (event != null) events.add(new String[] {event, data});
    }
    return events;
  }
}
