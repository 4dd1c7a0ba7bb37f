package dev.ancla.answer;

import static dev.ancla.testing.FakeOpenAi.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.answer.Conversation.Role;
import dev.ancla.answer.Conversation.Turn;
import dev.ancla.config.Config.LlmSpec;
import dev.ancla.openai.OpenAiClient;
import dev.ancla.testing.FakeOpenAi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The follow-up rewrite against a local server that speaks the OpenAI API. */
class LlmQueryRewriterTest {
  private static final String KEY = "sk-test-0123456789abcdef";

  private static LlmQueryRewriter rewriter(FakeOpenAi fake, Duration timeout) {
    var spec = new LlmSpec(fake.baseUrl(), "test-model", Optional.of(KEY), timeout, 3000, 1000);
    var client =
        new OpenAiClient(
            "the chat model",
            fake.baseUrl(),
            Optional.of(KEY),
            "ANCLA_LLM_API_KEY",
            timeout,
            new OpenAiClient.Retry(2, Duration.ofMillis(10), Duration.ofMillis(50)));
    return new LlmQueryRewriter(spec, client, text -> text.length() / 4);
  }

  private static final Conversation FOLLOW_UP =
      new Conversation(
          List.of(
              new Turn(Role.USER, "¿Cómo creo una instantánea en S3?"),
              new Turn(Role.ASSISTANT, "Con ANCLA_SNAPSHOT_URL [1].")),
          "¿y cómo la borro?",
          "Sé breve.");

  @Test
  void aFollowUpIsRewrittenOnceWithTheRecentTurns() throws Exception {
    try (var fake =
        new FakeOpenAi(chatCompletion("\"¿Cómo borro una instantánea de S3?\"\nPorque..."))) {
      assertEquals(
          "¿Cómo borro una instantánea de S3?",
          rewriter(fake, Duration.ofSeconds(5)).searchQuery(FOLLOW_UP));
      assertEquals(1, fake.requests.size());
      JsonNode body = fake.requests.getFirst().body();
      assertEquals("/v1/chat/completions", fake.requests.getFirst().path());
      assertEquals("Bearer " + KEY, fake.requests.getFirst().authorization());
      assertFalse(body.path("stream").asBoolean(true));
      assertEquals(0, body.path("temperature").asInt(-1));
      assertEquals(LlmQueryRewriter.MAX_TOKENS, body.path("max_tokens").asInt());
      assertEquals(LlmQueryRewriter.SYSTEM, body.path("messages").get(0).path("content").asText());
      String prompt = body.path("messages").get(1).path("content").asText();
      assertEquals(
          """
          Conversation:

          User: ¿Cómo creo una instantánea en S3?

          Assistant: Con ANCLA_SNAPSHOT_URL.

          Last message: ¿y cómo la borro?

          Standalone search query:""",
          prompt);
      assertFalse(prompt.contains("Sé breve"), "the client's instructions are for the answer");
    }
  }

  @Test
  void onlyTheLastFewTurnsAreSent() throws Exception {
    try (var fake = new FakeOpenAi(chatCompletion("consulta"))) {
      var turns = new ArrayList<Turn>();
      for (int i = 0; i < 10; i++) {
        turns.add(new Turn(Role.USER, "pregunta " + i));
        turns.add(new Turn(Role.ASSISTANT, "respuesta " + i));
      }
      rewriter(fake, Duration.ofSeconds(5)).searchQuery(new Conversation(turns, "¿y eso?", ""));
      String prompt =
          fake.requests.getFirst().body().path("messages").get(1).path("content").asText();
      assertTrue(prompt.startsWith("Conversation:\n\nUser: pregunta 7\n"), prompt);
      assertEquals(LlmQueryRewriter.TURNS, prompt.split("\n\n(User|Assistant): ").length - 1);
    }
  }

  @Test
  void aSingleQuestionIsSearchedAsItIsWithoutACall() throws Exception {
    try (var fake = new FakeOpenAi(chatCompletion("otra cosa"))) {
      assertEquals(
          "¿Qué formatos admite?",
          rewriter(fake, Duration.ofSeconds(5))
              .searchQuery(Conversation.of("¿Qué formatos admite?")));
      assertEquals(0, fake.requests.size());
    }
  }

  @Test
  void aNewTopicInAConversationIsSearchedAsItIsWithoutACall() throws Exception {
    try (var fake = new FakeOpenAi(chatCompletion("¿Cómo borro una instantánea de S3?"))) {
      var newTopic = new Conversation(FOLLOW_UP.history(), "¿Cuál es la capital de Australia?", "");
      assertEquals(
          "¿Cuál es la capital de Australia?",
          rewriter(fake, Duration.ofSeconds(5)).searchQuery(newTopic));
      assertEquals(0, fake.requests.size(), "a rewrite could only pull the old topic in");
    }
  }

  @Test
  void failuresAndEmptyRewritesFallBackToTheHeuristic() throws Exception {
    String heuristic = "¿Cómo creo una instantánea en S3?\n¿y cómo la borro?";
    assertEquals(heuristic, FOLLOW_UP.followUpQuery());
    try (var fake = new FakeOpenAi(error(500, "down for key " + KEY))) {
      assertEquals(heuristic, rewriter(fake, Duration.ofSeconds(5)).searchQuery(FOLLOW_UP));
      assertEquals(2, fake.requests.size(), "retried once, then given up");
    }
    try (var fake = new FakeOpenAi(silence(3_000))) {
      long start = System.nanoTime();
      assertEquals(heuristic, rewriter(fake, Duration.ofSeconds(1)).searchQuery(FOLLOW_UP));
      assertTrue(System.nanoTime() - start < 2_900_000_000L, "two 1 s timeouts, not the silence");
    }
    try (var fake = new FakeOpenAi(chatCompletion("  \n"))) {
      assertEquals(heuristic, rewriter(fake, Duration.ofSeconds(5)).searchQuery(FOLLOW_UP));
    }
  }

  @Test
  void aRewriteIsCleanedOfQuotesLabelsAndExtraLines() {
    assertEquals("borrar instantánea", LlmQueryRewriter.cleaned("Query: «borrar instantánea»"));
    assertEquals("borrar", LlmQueryRewriter.cleaned("\n  'borrar'\nexplicación"));
    assertEquals(
        LlmQueryRewriter.MAX_QUERY_CHARS, LlmQueryRewriter.cleaned("a".repeat(5_000)).length());
  }
}
