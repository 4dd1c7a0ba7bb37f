package dev.ancla.server;

import static dev.ancla.server.TestServer.API;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.ancla.testing.FakeOpenAi;
import dev.ancla.testing.FakeOpenAi.Reply;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-turn conversations with Ancla as an OpenAI model, driven by the official OpenAI Java
 * client, with a chat model behind it (a local fake that records what it is asked): the follow-up
 * is rewritten for the search, and the answer sees the earlier turns.
 */
class ChatConversationTest {
  static final String DEPLOY = "despliegue-digitalocean-app-platform.docx";
  static final String BACKUPS = "copias-de-seguridad-s3.pdf";

  @TempDir static Path dir;
  static FakeOpenAi llm;
  static TestServer s;
  static OpenAIClient openai;

  /** What the fake does with a rewrite (a request that does not stream). */
  static final AtomicReference<Reply> rewrites = new AtomicReference<>();

  @BeforeAll
  static void start() throws Exception {
    Reply answers = FakeOpenAi.chatStream("Respuesta ", "del modelo [1].");
    llm =
        new FakeOpenAi(
            (exchange, request) ->
                (request.path("stream").asBoolean() ? answers : rewrites.get())
                    .answer(exchange, request));
    s =
        TestServer.samples(
            dir.resolve("data"),
            "ANCLA_LLM_URL",
            llm.baseUrl().toString(),
            "ANCLA_LLM_MODEL",
            "fake-model",
            "ANCLA_LLM_TIMEOUT_SECONDS",
            "1");
    openai = OpenAIOkHttpClient.builder().apiKey(API).baseUrl(s.base + "/v1").maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    openai.close();
    s.close();
    llm.close();
  }

  @BeforeEach
  void forget() {
    llm.requests.clear();
  }

  private static ChatCompletionCreateParams.Builder ancla() {
    return ChatCompletionCreateParams.builder().model("ancla");
  }

  private static ChatCompletion complete(ChatCompletionCreateParams.Builder params) {
    return openai.chat().completions().create(params.build());
  }

  private List<JsonNode> requests(boolean streamed) {
    return llm.requests.stream()
        .map(FakeOpenAi.Request::body)
        .filter(b -> b.path("stream").asBoolean() == streamed)
        .toList();
  }

  private static List<String> citedPaths(ChatCompletion completion) {
    JsonNode citations =
        completion._additionalProperties().get("citations").convert(JsonNode.class);
    return citations.findValuesAsText("path");
  }

  @Test
  void aFollowUpIsSearchedAsRewrittenAndAnsweredWithTheEarlierTurns() {
    rewrites.set(
        FakeOpenAi.chatCompletion(
            "¿Cuántas instantáneas conserva ANCLA_SNAPSHOT_KEEP en las copias de seguridad en S3?"));
    String earlierAnswer =
        "Admite PDF, Word, OpenDocument y HTML [1].\n\nSources:\n[1] samples/formatos-admitidos.odt (chunk 1)";
    var textPart =
        ChatCompletionContentPartText.builder()
            .text("¿Qué formatos de documento admite Ancla?")
            .build();
    ChatCompletion completion =
        complete(
            ancla()
                .addSystemMessage("Responde en una frase.")
                .addUserMessageOfArrayOfContentParts(
                    List.of(ChatCompletionContentPart.ofText(textPart)))
                .addAssistantMessage(earlierAnswer)
                .addUserMessage("¿Y cuántas guarda?"));

    List<JsonNode> rewrite = requests(false);
    assertEquals(1, rewrite.size(), llm.requests.toString());
    assertEquals(0, rewrite.getFirst().path("temperature").asInt(-1));
    String transcript = rewrite.getFirst().path("messages").get(1).path("content").asText();
    assertTrue(
        transcript.contains(
            "User: ¿Qué formatos de documento admite Ancla?\n\n"
                + "Assistant: Admite PDF, Word, OpenDocument y HTML.\n\n"
                + "Last message: ¿Y cuántas guarda?"),
        transcript);

    List<JsonNode> answer = requests(true);
    assertEquals(1, answer.size());
    JsonNode messages = answer.getFirst().path("messages");
    assertEquals(List.of("system", "user", "assistant", "user"), messages.findValuesAsText("role"));
    assertTrue(messages.get(0).path("content").asText().endsWith("Responde en una frase."));
    assertEquals(
        "¿Qué formatos de documento admite Ancla?", messages.get(1).path("content").asText());
    assertEquals(
        "Admite PDF, Word, OpenDocument y HTML.",
        messages.get(2).path("content").asText(),
        "without the Sources list and the old numbers");
    String prompt = messages.get(3).path("content").asText();
    assertTrue(prompt.startsWith("Context passages:\n\n[1] (" + BACKUPS), prompt);
    assertTrue(prompt.endsWith("Question: ¿Y cuántas guarda?"), "the user's own words: " + prompt);

    String content = completion.choices().getFirst().message().content().orElseThrow();
    assertTrue(content.startsWith("Respuesta del modelo [1]."), content);
    assertEquals(
        List.of(BACKUPS), citedPaths(completion), "found with the rewrite, not the heuristic");
  }

  /** A follow-up whose search needs the previous question: without it, the FAQ ranks first. */
  private static ChatCompletionCreateParams.Builder diskFollowUp() {
    return ancla()
        .addUserMessage("¿Cómo despliego Ancla en DigitalOcean App Platform?")
        .addAssistantMessage("Con una instantánea en un Space [1].")
        .addUserMessage("¿Cuánto disco tiene?");
  }

  @Test
  void aFailingRewriteFallsBackToTheHeuristicAndStillStreamsAnAnswer() {
    rewrites.set(FakeOpenAi.error(500, "the rewrite model is down"));
    var text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream =
        openai.chat().completions().createStreaming(diskFollowUp().build())) {
      stream.stream()
          .forEach(c -> c.choices().forEach(d -> d.delta().content().ifPresent(text::append)));
    }
    assertTrue(text.toString().startsWith("Respuesta del modelo [1]."), text.toString());
    assertTrue(text.toString().contains("\n\nSources:\n[1] samples/" + DEPLOY), text.toString());
    assertFalse(requests(false).isEmpty(), "the rewrite was tried");
    assertEquals(1, requests(true).size());
  }

  @Test
  void aRewriteThatTimesOutFallsBackToTheHeuristic() {
    rewrites.set(FakeOpenAi.silence(5_000));
    long start = System.nanoTime();
    ChatCompletion completion = complete(diskFollowUp());
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(List.of(DEPLOY), citedPaths(completion));
    assertTrue(millis < 4_500, "two 1 s timeouts, not the 5 s silence: " + millis + " ms");
    assertEquals(2, requests(false).size(), "the rewrite is retried once");
  }

  @Test
  void aSingleQuestionMakesNoRewriteAndSendsNoHistory() {
    rewrites.set(FakeOpenAi.chatCompletion("no debería usarse"));
    ChatCompletion completion = complete(ancla().addUserMessage("¿Cuánto disco tiene?"));
    assertTrue(requests(false).isEmpty());
    JsonNode messages = requests(true).getFirst().path("messages");
    assertEquals(List.of("system", "user"), messages.findValuesAsText("role"));
    assertNotEquals(List.of(DEPLOY), citedPaths(completion), "alone, another file ranks first");
  }
}
