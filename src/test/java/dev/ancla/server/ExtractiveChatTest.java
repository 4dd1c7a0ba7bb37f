package dev.ancla.server;

import static dev.ancla.server.TestServer.API;
import static dev.ancla.server.TestServer.bearer;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conversations on /v1/chat/completions without a chat model: extractive answers. */
class ExtractiveChatTest {
  static final String DEPLOY = "despliegue-digitalocean-app-platform.docx";

  /**
   * What the deployment guide says of App Platform's disk, found only with the words of a question
   * about App Platform.
   */
  static final String EMPTY_DISK = "disco local vacío de 2 GiB";

  private static final ObjectMapper JSON = new ObjectMapper();

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

  private static JsonNode chat(List<Map<String, String>> messages) throws Exception {
    var r =
        s.postJson(
            "/v1/chat/completions",
            JSON.writeValueAsString(Map.of("model", "ancla", "messages", messages)),
            bearer(API));
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static Map<String, String> user(String text) {
    return Map.of("role", "user", "content", text);
  }

  @Test
  void aShortFollowUpIsAnsweredFromTheDocumentOfThePreviousQuestion() throws Exception {
    JsonNode alone = chat(List.of(user("¿Cuánto disco tiene?")));
    assertFalse(
        alone.path("choices").get(0).path("message").path("content").asText().contains(EMPTY_DISK),
        "alone, the question finds other passages about disk space: " + alone);

    JsonNode followUp =
        chat(
            List.of(
                user("¿Cómo despliego Ancla en DigitalOcean App Platform?"),
                Map.of(
                    "role",
                    "assistant",
                    "content",
                    "DigitalOcean App Platform ejecuta contenedores sin volúmenes persistentes. [1]"),
                user("¿Cuánto disco tiene?")));
    String content = followUp.path("choices").get(0).path("message").path("content").asText();
    assertTrue(
        followUp.path("citations").findValuesAsText("path").contains(DEPLOY), followUp.toString());
    assertTrue(content.contains(EMPTY_DISK), content);
  }

  static final String RESTORE = "How do I restore a snapshot after a redeploy?";
  static final String AUSTRALIA = "¿Cuál es la capital de Australia?";

  private static JsonNode ask(String question, List<Map<String, String>> history) throws Exception {
    var r =
        s.postJson(
            "/api/ask",
            JSON.writeValueAsString(Map.of("question", question, "history", history)),
            bearer(API));
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static Map<String, String> assistant(String text) {
    return Map.of("role", "assistant", "content", text);
  }

  @Test
  void aNewTopicAfterAnotherIsNotInTheDocumentsWithNoCitations() throws Exception {
    var history =
        List.of(
            user(RESTORE),
            assistant("After a redeploy the boot restores the newest snapshot that verifies. [1]"));
    JsonNode asked = ask(AUSTRALIA, history);
    assertTrue(
        asked.path("answer").asText().startsWith("No está en los documentos"), asked.toString());
    assertEquals(0, asked.path("citations").size(), asked.toString());

    var messages = new java.util.ArrayList<>(history);
    messages.add(user(AUSTRALIA));
    JsonNode chat = chat(messages);
    String content = chat.path("choices").get(0).path("message").path("content").asText();
    assertTrue(content.startsWith("No está en los documentos"), content);
    assertFalse(content.contains("Sources:"), content);
    assertEquals(0, chat.path("citations").size(), chat.toString());
  }

  @Test
  void aFollowUpStillUsesTheHistoryOnApiAskAndChat() throws Exception {
    var history =
        List.of(
            user("¿Cómo funcionan las copias de seguridad en S3?"),
            assistant("Ancla replica su índice en un almacenamiento compatible con S3. [1]"));
    String kept = "cuántas instantáneas se conservan";
    JsonNode asked = ask("¿y cuántas se conservan?", history);
    assertTrue(asked.path("answer").asText().contains(kept), asked.toString());
    assertTrue(
        asked.path("citations").findValuesAsText("path").contains("copias-de-seguridad-s3.pdf"),
        asked.toString());
    var messages = new java.util.ArrayList<>(history);
    messages.add(user("¿y cuántas se conservan?"));
    String content = chat(messages).path("choices").get(0).path("message").path("content").asText();
    assertTrue(content.contains(kept), content);

    // the deployment guide's disk, which the question alone does not find (see above)
    JsonNode disk =
        ask(
            "¿Cuánto disco tiene?",
            List.of(user("¿Cómo despliego Ancla en DigitalOcean App Platform?")));
    assertTrue(disk.path("answer").asText().contains(EMPTY_DISK), disk.toString());
  }

  @Test
  void aSingleMessageIsAnsweredLikeApiAsk() throws Exception {
    String question = "¿Cuánto dura el periodo de gracia de SIGTERM en App Platform?";
    JsonNode chat = chat(List.of(Map.of("role", "system", "content", "Sé breve."), user(question)));
    JsonNode ask =
        s.postJson("/api/ask", JSON.writeValueAsString(Map.of("question", question)), bearer(API))
            .json();
    String content = chat.path("choices").get(0).path("message").path("content").asText();
    assertTrue(content.startsWith(ask.path("answer").asText() + "\n\nSources:\n[1] "), content);
    assertEquals(ask.path("citations"), chat.path("citations"));
    assertTrue(ask.path("citations").findValuesAsText("path").contains(DEPLOY));
  }
}
