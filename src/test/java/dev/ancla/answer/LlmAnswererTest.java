package dev.ancla.answer;

import static dev.ancla.testing.FakeOpenAi.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config.Language;
import dev.ancla.config.Config.LlmSpec;
import dev.ancla.openai.OpenAiClient;
import dev.ancla.query.SearchHit;
import dev.ancla.testing.FakeOpenAi;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The chat client against a local server that speaks the OpenAI API, streaming included. */
class LlmAnswererTest {
  static final String KEY = "sk-test-0123456789abcdef";
  static final OpenAiClient.Retry FAST =
      new OpenAiClient.Retry(3, Duration.ofMillis(10), Duration.ofMillis(50));

  private final List<SearchHit> context =
      List.of(
          new SearchHit(
              "docs", "guia.md", 0, 1, "Ancla se instala con un comando.", "Instalación", 0),
          new SearchHit(
              "docs",
              "copias.pdf",
              4,
              0.9,
              "La restauración verifica cada archivo con SHA-256.",
              "",
              2),
          new SearchHit(
              "docs", "faq.html", 1, 0.8, "El índice se reabre en milisegundos.", "FAQ", 0));

  private LlmAnswerer answerer(FakeOpenAi fake, Duration timeout, int contextTokens) {
    var spec =
        new LlmSpec(fake.baseUrl(), "test-model", Optional.of(KEY), timeout, contextTokens, 1000);
    var client =
        new OpenAiClient(
            "the chat model", fake.baseUrl(), Optional.of(KEY), "ANCLA_LLM_API_KEY", timeout, FAST);
    return new LlmAnswerer(spec, client, text -> text.length() / 4, Language.ES);
  }

  private record Recorded(List<Citation> context, List<String> tokens) {}

  private static AnswerListener recorder(Recorded r) {
    return new AnswerListener() {
      @Override
      public void context(List<Citation> citations) {
        r.context().addAll(citations);
      }

      @Override
      public void token(String text) {
        r.tokens().add(text);
      }
    };
  }

  @Test
  void streamsTokensAndRenumbersCitationsToTheChunksUsed() throws Exception {
    try (var fake =
        new FakeOpenAi(
            chatStream(
                "La restauración ",
                "comprueba SHA-256 [2].",
                " El índice reabre rápido [3][2]."))) {
      var seen = new Recorded(new ArrayList<>(), new ArrayList<>());
      Answer answer =
          answerer(fake, Duration.ofSeconds(5), 3000)
              .answer("¿Qué verifica la restauración?", context, recorder(seen));
      assertEquals(
          "La restauración comprueba SHA-256 [1]. El índice reabre rápido [2][1].", answer.text());
      assertEquals(
          List.of("copias.pdf", "faq.html"),
          answer.citations().stream().map(Citation::path).toList());
      assertEquals(2, answer.citations().getFirst().page());
      assertEquals("llm", answer.mode());
      assertEquals(Optional.of("test-model"), answer.model());
      assertEquals(3, seen.tokens().size(), "tokens arrive as streamed");
      assertEquals(3, seen.context().size(), "the stream's citations number the prompt's chunks");
      ExtractiveAnswererTest.assertEveryReferenceHasACitation(answer);

      var request = fake.requests.getFirst();
      assertEquals("/v1/chat/completions", request.path());
      assertEquals("Bearer " + KEY, request.authorization());
      assertEquals("test-model", request.body().path("model").asText());
      assertTrue(request.body().path("stream").asBoolean());
      String system = request.body().path("messages").get(0).path("content").asText();
      assertTrue(
          system.contains("only the numbered context")
              && system.contains("language of the question"),
          system);
      String user = request.body().path("messages").get(1).path("content").asText();
      assertTrue(user.contains("[2] (copias.pdf, page 2)\nLa restauración verifica"), user);
      assertTrue(user.endsWith("Question: ¿Qué verifica la restauración?"), user);
    }
  }

  @Test
  void aConversationSendsItsEarlierTurnsBeforeTheQuestionAndTheClientsInstructionsAfterTheRules()
      throws Exception {
    try (var fake = new FakeOpenAi(chatStream("Con SHA-256 [2]."))) {
      var chat =
          new Conversation(
              List.of(
                  new Conversation.Turn(Conversation.Role.USER, "¿Qué hace la restauración?"),
                  new Conversation.Turn(
                      Conversation.Role.ASSISTANT, "Descarga la última copia [1].")),
              "¿Y cómo la comprueba?",
              "Responde en una frase.");
      Answer answer =
          answerer(fake, Duration.ofSeconds(5), 3000).answer(chat, context, AnswerListener.NONE);
      assertEquals("Con SHA-256 [1].", answer.text());
      assertEquals("copias.pdf", answer.citations().getFirst().path(), "renumbered as before");
      var messages = fake.requests.getFirst().body().path("messages");
      assertEquals(
          List.of("system", "user", "assistant", "user"),
          messages.findValuesAsText("role"),
          messages.toString());
      String system = messages.get(0).path("content").asText();
      assertTrue(system.startsWith(LlmAnswerer.SYSTEM), "the rules come first: " + system);
      assertTrue(system.endsWith("\nResponde en una frase."), system);
      assertEquals("¿Qué hace la restauración?", messages.get(1).path("content").asText());
      assertEquals(
          "Descarga la última copia.",
          messages.get(2).path("content").asText(),
          "an old answer's [n] would be read as this prompt's passages");
      String prompt = messages.get(3).path("content").asText();
      assertTrue(prompt.startsWith("Context passages:"), prompt);
      assertTrue(prompt.endsWith("Question: ¿Y cómo la comprueba?"), prompt);
    }
  }

  @Test
  void theHistoryKeepsToItsTokenBudgetDroppingTheOldestTurns() throws Exception {
    try (var fake = new FakeOpenAi(chatStream("ok"))) {
      var turns = new ArrayList<Conversation.Turn>();
      for (int i = 0; i < 20; i++) {
        turns.add(
            new Conversation.Turn(Conversation.Role.USER, "pregunta " + i + " " + "x".repeat(396)));
        turns.add(
            new Conversation.Turn(
                Conversation.Role.ASSISTANT, "respuesta " + i + " " + "y".repeat(396)));
      }
      // 1 token per 4 characters: each turn costs about 100 + 4, so 1000 tokens keep 9 turns,
      // and the oldest of those is an answer, which cannot start the history.
      answerer(fake, Duration.ofSeconds(5), 3000)
          .answer(new Conversation(turns, "¿Y la última?", ""), context, AnswerListener.NONE);
      var messages = fake.requests.getFirst().body().path("messages");
      assertEquals(1 + 8 + 1, messages.size(), messages.toString());
      assertTrue(messages.get(1).path("content").asText().startsWith("pregunta 16 "));
      assertTrue(messages.get(8).path("content").asText().startsWith("respuesta 19 "));
    }
  }

  @Test
  void theContextKeepsToItsTokenBudget() throws Exception {
    try (var fake = new FakeOpenAi(chatStream("No está en los documentos."))) {
      Answer answer =
          answerer(fake, Duration.ofSeconds(5), 100)
              .answer("¿Quién fundó Ancla?", context, AnswerListener.NONE);
      String user =
          fake.requests.getFirst().body().path("messages").get(1).path("content").asText();
      assertTrue(user.contains("[1] (guia.md"), user);
      assertTrue(user.contains("[3] (faq.html"), "each chunk costs ~8+16 tokens: all fit in 100");
      assertTrue(answer.citations().isEmpty());
    }
    var tight = new ArrayList<SearchHit>();
    for (int i = 0; i < 10; i++)
      tight.add(new SearchHit("d", "f" + i, i, 1, "x".repeat(400), "", 0));
    try (var fake = new FakeOpenAi(chatStream("ok"))) {
      assertEquals(
          3,
          answerer(fake, Duration.ofSeconds(5), 400).fit(tight).size(),
          "400 / (100 + 16) = 3 chunks");
      assertEquals(
          1,
          answerer(fake, Duration.ofSeconds(5), 100).fit(tight).size(),
          "the best chunk always goes, cut");
    }
  }

  @Test
  void rateLimitsAndServerErrorsAreRetriedHonouringRetryAfter() throws Exception {
    try (var fake = new FakeOpenAi(chatStream("Bien [1]."))) {
      fake.then(error(429, "Rate limit reached", "Retry-After", "1"))
          .then(error(503, "overloaded"));
      long start = System.nanoTime();
      Answer answer =
          answerer(fake, Duration.ofSeconds(5), 3000)
              .answer("¿Cómo se instala?", context, AnswerListener.NONE);
      assertEquals("Bien [1].", answer.text());
      assertEquals(3, fake.requests.size());
      assertTrue(System.nanoTime() - start >= 1_000_000_000L, "Retry-After: 1 was honoured");
    }
  }

  @Test
  void persistentFailuresAreReportedCleanlyWithoutTheKey() throws Exception {
    try (var fake = new FakeOpenAi(error(500, "internal failure for key " + KEY))) {
      var e =
          assertThrows(
              IOException.class,
              () ->
                  answerer(fake, Duration.ofSeconds(5), 3000)
                      .answer("¿Cómo se instala?", context, AnswerListener.NONE));
      assertEquals(3, fake.requests.size());
      assertTrue(
          e.getMessage()
              .contains(
                  "the chat model at " + fake.baseUrl() + "/chat/completions answered HTTP 500"),
          e.getMessage());
      assertTrue(e.getMessage().contains("gave up after 3 attempts"), e.getMessage());
      assertFalse(e.getMessage().contains(KEY), e.getMessage());
    }
    try (var fake = new FakeOpenAi(error(401, "Incorrect API key provided"))) {
      var e =
          assertThrows(
              IOException.class,
              () ->
                  answerer(fake, Duration.ofSeconds(5), 3000)
                      .answer("¿Cómo se instala?", context, AnswerListener.NONE));
      assertEquals(1, fake.requests.size(), "a wrong key is not retried");
      assertTrue(
          e.getMessage().contains("HTTP 401: Incorrect API key provided; check ANCLA_LLM_API_KEY"),
          e.getMessage());
    }
  }

  @Test
  void aModelThatDoesNotAnswerTimesOutIsRetriedThenReported() throws Exception {
    try (var fake = new FakeOpenAi(chatStream("Tarde pero bien [1]."))) {
      fake.then(silence(3_000));
      Answer answer =
          answerer(fake, Duration.ofSeconds(1), 3000)
              .answer("¿Cómo se instala?", context, AnswerListener.NONE);
      assertEquals("Tarde pero bien [1].", answer.text(), "the second attempt answered");
    }
    try (var fake = new FakeOpenAi(silence(3_000))) {
      var e =
          assertThrows(
              IOException.class,
              () ->
                  answerer(fake, Duration.ofSeconds(1), 3000)
                      .answer("¿Cómo se instala?", context, AnswerListener.NONE));
      assertTrue(e.getMessage().contains("did not answer within 1 s"), e.getMessage());
      assertTrue(e.getMessage().contains("gave up after 3 attempts"), e.getMessage());
    }
    try (var fake = new FakeOpenAi(stall(3_000))) {
      var e =
          assertThrows(
              IOException.class,
              () ->
                  answerer(fake, Duration.ofSeconds(1), 3000)
                      .answer("¿Cómo se instala?", context, AnswerListener.NONE));
      assertTrue(e.getMessage().contains("sent nothing for 1 s after 3 attempts"), e.getMessage());
    }
  }

  @Test
  void aServerThatDoesNotStreamIsReadWhole() throws Exception {
    var whole =
        json(
            200,
            java.util.Map.of(
                "choices",
                List.of(
                    java.util.Map.of(
                        "index",
                        0,
                        "message",
                        java.util.Map.of("role", "assistant", "content", "Con un comando [1].")))));
    try (var fake = new FakeOpenAi(whole)) {
      Answer answer =
          answerer(fake, Duration.ofSeconds(5), 3000)
              .answer("¿Cómo se instala?", context, AnswerListener.NONE);
      assertEquals("Con un comando [1].", answer.text());
      assertEquals("guia.md", answer.citations().getFirst().path());
    }
  }
}
