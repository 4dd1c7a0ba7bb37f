package dev.ancla.answer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * A chat: the question (the last user message), the turns before it, and instructions the client
 * sent as system messages ("" for none). Turns are kept normalized: no blank ones, no two in a row
 * from the same role (they are joined), and assistant turns without their {@code [n]} references,
 * which numbered that answer's passages, not the next prompt's.
 *
 * @param history earlier user and assistant turns, oldest first
 */
public record Conversation(List<Turn> history, String question, String instructions) {

  /**
   * A follow-up with at most this many content words (besides the verbs that any question has,
   * "tiene", "does") cannot stand alone: "¿Cuánto disco tiene?", "Retention?".
   */
  static final int SHORT_FOLLOW_UP = 1;

  /**
   * Of the previous question, the search takes this much at most, as long as a question may be:
   * history is not checked like the question, and a pasted page would make a search too wide.
   */
  static final int MAX_PREVIOUS_CHARS = 2_000;

  /** Who said a turn. */
  public enum Role {
    USER,
    ASSISTANT;

    /** The role's name in the OpenAI chat API. */
    public String api() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One message of the history. */
  public record Turn(Role role, String text) {}

  public Conversation {
    history = normalized(history);
    question = question.strip();
    instructions = instructions.strip();
  }

  /** A single question, as {@code /api/ask} and {@code ancla ask} have it. */
  public static Conversation of(String question) {
    return new Conversation(List.of(), question, "");
  }

  private static List<Turn> normalized(List<Turn> turns) {
    var result = new ArrayList<Turn>();
    for (Turn turn : turns) {
      String text =
          turn.role() == Role.ASSISTANT ? CitationMap.withoutReferences(turn.text()) : turn.text();
      text = text.strip();
      if (text.isEmpty()) {
        continue;
      }
      if (!result.isEmpty() && result.getLast().role() == turn.role()) {
        text = result.removeLast().text() + "\n\n" + text;
      }
      result.add(new Turn(turn.role(), text));
    }
    return List.copyOf(result);
  }

  /**
   * What to search the index with when no chat model can rewrite the question; deterministic.
   * Contract:
   *
   * <ul>
   *   <li>the question alone when there is no earlier user turn, or when it {@linkplain
   *       #standsAlone() stands alone}: a new topic ("¿Cuál es la capital de Australia?") must not
   *       be searched, nor answered, with the words of the previous one;
   *   <li>otherwise (a follow-up such as "¿y cómo lo borro?", "what about S3?" or "¿Cuánto disco
   *       tiene?") the previous user turn (its first {@value #MAX_PREVIOUS_CHARS} characters), a
   *       new line, then the question, so the search also has the words of what the conversation is
   *       about.
   * </ul>
   *
   * Only the previous user turn is used, never an assistant's: its quoted passages would pull the
   * search toward what was already answered.
   */
  public String followUpQuery() {
    if (standsAlone()) {
      return question;
    }
    for (Turn turn : history.reversed()) {
      if (turn.role() == Role.USER) {
        return cut(turn.text(), MAX_PREVIOUS_CHARS) + "\n" + question;
      }
    }
    return question;
  }

  /**
   * Whether the question can be read without the turns before it: it neither {@linkplain
   * FollowUps#refersBack refers back} (starts with "¿y…", "and…", "what about…", or has "eso",
   * "lo", "it", "those"...) nor is {@linkplain FollowUps#tooShort too short} to say what it is
   * about (at most {@value #SHORT_FOLLOW_UP} content word besides common verbs). A question with
   * more content words and no such marker is a new topic, even when the documents do not hold it:
   * borrowing then only finds the previous topic's passages. Chosen by measuring conversation pairs
   * in both languages ({@code AnswerQualityTest}, docs/QUALITY.md).
   */
  public boolean standsAlone() {
    return !FollowUps.refersBack(question) && !FollowUps.tooShort(question, SHORT_FOLLOW_UP);
  }

  static int contentWords(String text) {
    return QuestionLanguage.contentWords(text).size();
  }

  /**
   * The most recent turns that fit {@code budget} tokens and {@code maxTurns}, oldest first; older
   * ones are dropped first. When even the newest turn does not fit, it comes cut to the budget. The
   * result never starts with an assistant turn, which some chat templates refuse.
   */
  public List<Turn> recent(ToIntFunction<String> tokens, int budget, int maxTurns) {
    var kept = new ArrayList<Turn>();
    int left = budget;
    for (Turn turn : history.reversed()) {
      if (kept.size() == maxTurns) {
        break;
      }
      int cost = tokens.applyAsInt(turn.text()) + 4; // the role and the message's framing
      if (cost > left) {
        if (kept.isEmpty() && left > 16) {
          kept.add(new Turn(turn.role(), cut(turn.text(), left * 4)));
        }
        break;
      }
      kept.add(turn);
      left -= cost;
    }
    while (!kept.isEmpty() && kept.getLast().role() == Role.ASSISTANT) {
      kept.removeLast();
    }
    return List.copyOf(kept.reversed());
  }

  /** The first {@code chars} characters at most (about 4 a token), ended with "…" when cut. */
  private static String cut(String text, int chars) {
    return text.length() <= chars ? text : text.substring(0, Math.max(0, chars - 1)) + "…";
  }
}
