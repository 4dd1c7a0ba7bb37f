package dev.ancla.server;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.answer.Citation;
import dev.ancla.answer.Conversation;
import dev.ancla.answer.Conversation.Role;
import dev.ancla.answer.Conversation.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the messages of a chat completion request become a conversation, or a 400. */
class ChatMessagesTest {
  private static Conversation read(String messages) throws Exception {
    return ChatMessages.conversation(
        new ObjectMapper().readTree("{\"model\": \"ancla\", \"messages\": " + messages + "}"));
  }

  @Test
  void earlierUserAndAssistantMessagesAreTheHistoryAndSystemOnesTheInstructions() throws Exception {
    String answer =
        "Con ANCLA_SNAPSHOT_URL [1]."
            + OpenAiRoutes.sources(
                "[1]", List.of(new Citation(1, "samples", "copias.pdf", 5, 2, "", "Retención...")));
    var chat =
        read(
            """
            [{"role": "system", "content": "Sé breve."},
             {"role": "assistant", "content": "¡Hola!"},
             {"role": "user", "content": [{"type": "text", "text": "¿Cómo creo"},
                                          {"type": "image_url", "image_url": {"url": "x"}},
                                          {"type": "text", "text": "una instantánea?"}]},
             {"role": "assistant", "content": %s, "tool_calls": []},
             {"role": "tool", "tool_call_id": "t1", "content": "resultado"},
             {"role": "assistant", "content": null},
             {"role": "developer", "content": "En español."},
             {"role": "user", "content": "  ¿y cómo la borro?  "},
             {"role": "assistant", "content": "(a prefill after the question)"}]
            """
                .formatted(new ObjectMapper().writeValueAsString(answer)));
    assertEquals("¿y cómo la borro?", chat.question());
    assertEquals(
        List.of(
            new Turn(Role.ASSISTANT, "¡Hola!"),
            new Turn(Role.USER, "¿Cómo creo una instantánea?"),
            new Turn(Role.ASSISTANT, "Con ANCLA_SNAPSHOT_URL.")),
        chat.history(),
        "no Sources list, no tool result, nothing after the question");
    assertEquals("Sé breve.\n\nEn español.", chat.instructions());
  }

  @Test
  void aSingleMessageIsAQuestionWithoutHistory() throws Exception {
    var chat = read("[{\"role\": \"user\", \"content\": \"¿Qué formatos admite?\"}]");
    assertEquals(Conversation.of("¿Qué formatos admite?"), chat);
  }

  @Test
  void onlyAncasOwnSourcesListIsStripped() {
    assertEquals(
        "Sí [1].",
        ChatMessages.withoutSources(
            "Sí [1].\n\nSources:\n[1] samples/a.pdf, page 3 (chunk 2)\n[2] samples/b.md (chunk 0)\n"));
    String prose = "Sources: the documents.\nMore text.";
    assertEquals(prose, ChatMessages.withoutSources(prose));
    String midway = "A.\n\nSources:\n[1] samples/a.md (chunk 0)\n\nAnd then more.";
    assertEquals(midway, ChatMessages.withoutSources(midway), "only a trailing list");
  }

  @Test
  void badMessagesGet400sThatSayWhatIsAccepted() {
    assertBad("[]", "'messages' must be a non-empty array");
    assertBad("{}", "'messages' must be a non-empty array");
    assertBad("[{\"role\": \"assistant\", \"content\": \"hola\"}]", "no message has role 'user'");
    assertBad(
        "[{\"role\": \"function\", \"content\": \"x\"}, {\"role\": \"user\", \"content\": \"y\"}]",
        "messages[0] has role 'function'",
        "system, developer, user, assistant or tool");
    assertBad("[\"hola\"]", "messages[0] has role ''");
    assertBad("[{\"role\": 7, \"content\": \"x\"}]", "messages[0] has role '7'");
    assertBad(
        "[{\"role\": \"user\", \"content\": {\"text\": \"x\"}}, {\"role\": \"user\", \"content\": \"y\"}]",
        "messages[0].content must be a string or an array of parts");
    assertBad("[{\"role\": \"user\", \"content\": \"  \"}]", "the last user message has no text");
    assertBad(
        "[{\"role\": \"user\", \"content\": \"" + "a".repeat(2_001) + "\"}]",
        "2001 characters long; at most 2000");
  }

  private static void assertBad(String messages, String... expected) {
    var e = assertThrows(ApiError.class, () -> read(messages));
    assertEquals(400, e.status());
    for (String part : expected) {
      assertTrue(e.getMessage().contains(part), e.getMessage() + " should contain " + part);
    }
  }
}
