package dev.ancla.answer;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.answer.Conversation.Role;
import dev.ancla.answer.Conversation.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The follow-up heuristic's contract and the history's bounds. */
class ConversationTest {
  private static Turn user(String text) {
    return new Turn(Role.USER, text);
  }

  private static Turn assistant(String text) {
    return new Turn(Role.ASSISTANT, text);
  }

  private static Conversation chat(String question, Turn... history) {
    return new Conversation(List.of(history), question, "");
  }

  @Test
  void aShortFollowUpIsSearchedWithThePreviousQuestion() {
    var chat =
        chat(
            "¿y cómo lo borro?",
            user("¿Qué es una instantánea?"),
            assistant("Una copia del índice [1]."),
            user("¿Cómo creo una instantánea en S3?"),
            assistant("Con ANCLA_SNAPSHOT_URL [1]."));
    assertEquals("¿Cómo creo una instantánea en S3?\n¿y cómo lo borro?", chat.followUpQuery());
    assertEquals(
        "What is a snapshot?\nwhat about S3?",
        chat("what about S3?", user("What is a snapshot?"), assistant("A copy.")).followUpQuery());
  }

  @Test
  void aNewTopicIsSearchedAloneHoweverShortAndAFollowUpByItsMarks() {
    Turn restore = user("How do I restore a snapshot after a redeploy?");
    for (String alone :
        List.of(
            "¿Cuál es la capital de Australia?",
            "What is the capital of Australia?",
            "¿Necesito una GPU?",
            "Does Ancla send telemetry?",
            "¿Qué archivos ignora Ancla?")) {
      assertEquals(alone, chat(alone, restore).followUpQuery(), alone);
    }
    for (String followUp :
        List.of(
            "¿y cuántas se conservan?",
            "¿Cuánto disco tiene?",
            "What about the health check?",
            "How many dimensions does it have?",
            "¿Cómo la borro?",
            "¿Se puede cifrarla?",
            "And if I rename a file?",
            "¿Y eso?",
            "Retention?")) {
      assertEquals(
          restore.text() + "\n" + followUp, chat(followUp, restore).followUpQuery(), followUp);
    }
  }

  @Test
  void aQuestionThatStandsOnItsOwnOrHasNoEarlierQuestionIsSearchedAlone() {
    String full = "¿Cómo se restaura una copia de seguridad desde S3?";
    assertEquals(full, chat(full, user("¿Qué formatos admite?")).followUpQuery());
    assertEquals("¿y cómo lo borro?", chat("¿y cómo lo borro?").followUpQuery());
    assertEquals(
        "¿y cómo lo borro?",
        chat("¿y cómo lo borro?", assistant("¡Hola! ¿En qué te ayudo?")).followUpQuery(),
        "an assistant's greeting is no earlier question");
    assertEquals("x", Conversation.of("x").followUpQuery());
  }

  @Test
  void aLongPreviousQuestionIsCutForTheSearch() {
    String query = chat("¿y eso?", user("palabra ".repeat(1_000))).followUpQuery();
    assertEquals(Conversation.MAX_PREVIOUS_CHARS + "\n¿y eso?".length(), query.length());
    assertTrue(query.endsWith("…\n¿y eso?"), query);
  }

  @Test
  void contentWordsIgnoreCommonWordsCaseAndAccents() {
    assertEquals(1, Conversation.contentWords("¿Y CÓMO lo borro?"));
    assertEquals(1, Conversation.contentWords("How do I delete it?"));
    assertEquals(2, Conversation.contentWords("¿Y cuántas guarda en S3?"));
    assertEquals(0, Conversation.contentWords("¿y eso?"));
    assertEquals(4, Conversation.contentWords("¿Cómo se restaura una copia desde S3?"));
  }

  @Test
  void turnsAreNormalizedReferencesDroppedSameRolesJoinedBlanksGone() {
    var chat =
        chat(
            "¿Y luego?",
            user("Hola."),
            user("¿Qué formatos admite?"),
            assistant("   "),
            assistant("PDF y Word [1][2]. También ODT [3, 4]."),
            user(" "));
    assertEquals(
        List.of(user("Hola.\n\n¿Qué formatos admite?"), assistant("PDF y Word. También ODT.")),
        chat.history());
  }

  @Test
  void recentKeepsTheNewestTurnsWithinTheBudgetStartingWithAUser() {
    var chat =
        chat(
            "¿Y después?",
            user("a".repeat(400)),
            assistant("b".repeat(400)),
            user("c".repeat(40)),
            assistant("d".repeat(40)));
    // 1 token per 4 characters, plus 4 per turn: 104, 104, 14, 14
    assertEquals(
        List.of(user("c".repeat(40)), assistant("d".repeat(40))),
        chat.recent(s -> s.length() / 4, 200, 10),
        "the 400-character assistant turn would fit (28 + 104 ≤ 200) but cannot start the history");
    assertEquals(4, chat.recent(s -> s.length() / 4, 1_000, 10).size());
    assertEquals(
        List.of(user("c".repeat(40)), assistant("d".repeat(40))),
        chat.recent(s -> s.length() / 4, 1_000, 2));
    assertEquals(List.of(), chat.recent(s -> s.length() / 4, 0, 10), "a budget of 0 sends none");
    var huge = chat("¿Y?", user("x".repeat(10_000)));
    Turn cut = huge.recent(s -> s.length() / 4, 100, 10).getFirst();
    assertTrue(cut.text().length() <= 400 && cut.text().endsWith("…"), cut.text());
  }
}
