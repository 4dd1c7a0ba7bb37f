package dev.ancla.server;

import static dev.ancla.server.TestServer.API;
import static dev.ancla.server.TestServer.bearer;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import dev.ancla.testing.FakeOpenAi;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ancla with a chat model (a local fake of the OpenAI API) behind /api/ask, and Ancla itself as an
 * OpenAI-compatible model, driven by the official OpenAI Java client.
 */
class OpenAiRoutesTest {
  @TempDir static Path dir;
  static FakeOpenAi llm;
  static TestServer s;
  static OpenAIClient openai;

  @BeforeAll
  static void start() throws Exception {
    llm =
        new FakeOpenAi(
            FakeOpenAi.chatStream(
                "App Platform espera ", "120 segundos [2].", " Ver también [1]."));
    s =
        TestServer.samples(
            dir.resolve("data"),
            "ANCLA_LLM_URL",
            llm.baseUrl().toString(),
            "ANCLA_LLM_MODEL",
            "fake-model",
            "ANCLA_LLM_API_KEY",
            "sk-upstream-0123456789");
    openai = OpenAIOkHttpClient.builder().apiKey(API).baseUrl(s.base + "/v1").maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    openai.close();
    s.close();
    llm.close();
  }

  private static ChatCompletionCreateParams question(String text) {
    return ChatCompletionCreateParams.builder()
        .model("ancla")
        .addSystemMessage("Be brief.")
        .addUserMessage(text)
        .build();
  }

  @Test
  void askAnswersWithTheChatModelAndStreamsItsTokens() throws Exception {
    var request =
        HttpRequest.newBuilder(s.base.resolve("/api/ask"))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"question\": \"¿Cuánto espera App Platform tras SIGTERM?\", \"k\": 4}"));
    JsonNode body = s.send(request, bearer(API)).json();
    assertEquals("llm", body.path("mode").asText(), body.toString());
    assertEquals("fake-model", body.path("model").asText());
    assertEquals(
        "App Platform espera 120 segundos [1]. Ver también [2].", body.path("answer").asText());
    assertEquals(2, body.path("citations").size());
    assertEquals("Bearer sk-upstream-0123456789", llm.requests.getLast().authorization());

    var streamed = s.send(request, "Authorization", "Bearer " + API, "Accept", "text/event-stream");
    List<String[]> events = AskRoutesTest.events(streamed.body());
    assertEquals("citations", events.getFirst()[0]);
    assertEquals(
        4,
        new ObjectMapper().readTree(events.getFirst()[1]).size(),
        "the prompt's 4 chunks, as numbered there");
    assertEquals(
        List.of("token", "token", "token"), events.subList(1, 4).stream().map(e -> e[0]).toList());
    assertEquals("done", events.getLast()[0]);
  }

  @Test
  void theOfficialClientListsTheModel() {
    List<Model> models = openai.models().list().data();
    assertEquals(List.of("ancla"), models.stream().map(Model::id).toList());
  }

  @Test
  void theOfficialClientGetsAnAnswerWithSources() {
    ChatCompletion completion =
        openai.chat().completions().create(question("¿Cuánto espera App Platform tras SIGTERM?"));
    String content = completion.choices().getFirst().message().content().orElseThrow();
    assertTrue(
        content.startsWith("App Platform espera 120 segundos [1]. Ver también [2]."), content);
    assertTrue(content.contains("\n\nSources:\n[1] samples/"), content);
    assertTrue(content.contains("\n[2] samples/"), content);
    assertEquals("ancla", completion.model());
    var citations = completion._additionalProperties().get("citations");
    assertNotNull(citations, "citations come as an extra field too");
    String user = llm.requests.getLast().body().path("messages").get(1).path("content").asText();
    assertTrue(
        user.endsWith("Question: ¿Cuánto espera App Platform tras SIGTERM?"),
        "the last user message is the question");
  }

  @Test
  void theOfficialClientStreams() {
    var text = new StringBuilder();
    int chunks = 0;
    try (StreamResponse<ChatCompletionChunk> stream =
        openai
            .chat()
            .completions()
            .createStreaming(question("¿Cuánto espera App Platform tras SIGTERM?"))) {
      for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
        chunks++;
        chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
      }
    }
    assertTrue(chunks >= 5, "role, three tokens, sources, stop: " + chunks);
    assertTrue(
        text.toString().startsWith("App Platform espera 120 segundos [2]. Ver también [1]."),
        text.toString());
    assertTrue(text.toString().contains("\n\nSources:\n[1] samples/"), text.toString());
  }

  @Test
  void aWrongTokenIsRefused() {
    var stranger =
        OpenAIOkHttpClient.builder()
            .apiKey("not-the-token")
            .baseUrl(s.base + "/v1")
            .maxRetries(0)
            .build();
    try {
      assertThrows(UnauthorizedException.class, () -> stranger.models().list());
    } finally {
      stranger.close();
    }
    var r =
        s.send(
            HttpRequest.newBuilder(s.base.resolve("/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\": []}")),
            bearer(API));
    assertEquals(400, r.status());
    assertTrue(r.error().contains("'messages' must be a non-empty array"), r.body());
  }

  /**
   * A failure of the chat model (after its retries) reaches the caller as 502 with the service, its
   * URL and its message, as the streamed error event says it, on both chat endpoints. (It was a
   * bare "500 internal error (IOException)".) A 400 is not retried, so each request fails once.
   */
  @Test
  void aChatModelFailureIsA502ThatNamesTheServiceItsUrlAndItsMessage() throws Exception {
    String said = "This model's maximum context length is 8192 tokens";
    String expected =
        "the chat model at " + llm.baseUrl() + "/chat/completions answered HTTP 400: " + said;
    String question = "{\"question\": \"¿Cuánto espera App Platform tras SIGTERM?\"}";

    llm.then(FakeOpenAi.error(400, said));
    var ask =
        s.send(
            HttpRequest.newBuilder(s.base.resolve("/api/ask"))
                .POST(HttpRequest.BodyPublishers.ofString(question)),
            bearer(API));
    assertEquals(502, ask.status(), ask.body());
    assertEquals(expected, ask.error());
    assertFalse(ask.body().contains("sk-upstream"), "never the key");

    llm.then(FakeOpenAi.error(400, said));
    var streamed =
        s.send(
            HttpRequest.newBuilder(s.base.resolve("/api/ask"))
                .POST(HttpRequest.BodyPublishers.ofString(question)),
            "Authorization",
            "Bearer " + API,
            "Accept",
            "text/event-stream");
    String[] error = AskRoutesTest.events(streamed.body()).getLast();
    assertEquals("error", error[0]);
    assertEquals(
        expected,
        new ObjectMapper().readTree(error[1]).path("error").asText(),
        "the same words, streamed or not");

    llm.then(FakeOpenAi.error(400, said));
    var chat =
        s.send(
            HttpRequest.newBuilder(s.base.resolve("/v1/chat/completions"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\": \"ancla\", \"messages\": [{\"role\": \"user\","
                            + " \"content\": \"¿Cuánto espera App Platform tras SIGTERM?\"}]}")),
            bearer(API));
    assertEquals(502, chat.status(), chat.body());
    assertEquals(expected, chat.error());
  }
}
