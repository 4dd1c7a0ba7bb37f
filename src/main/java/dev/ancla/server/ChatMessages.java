package dev.ancla.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.answer.Conversation;
import dev.ancla.answer.Conversation.Role;
import dev.ancla.answer.Conversation.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the {@code messages} of an OpenAI chat completion request as a {@link Conversation}. The
 * last user message is the question; the user and assistant messages before it are the history
 * (assistant ones without the "Sources:" list Ancla appended to them); system and developer
 * messages are the client's instructions. Tool messages, parts other than text, and messages after
 * the question are ignored. Anything else is a 400 that says what is accepted.
 *
 * <p>The {@code history} of {@code /api/ask} is read the same way ({@link #history}), so that one
 * client can send either endpoint the turns it kept, but only user and assistant turns are accepted
 * there, and it is bounded: {@code /api/ask} has no other way to say a history is too long.
 */
final class ChatMessages {
  static final String EXAMPLE =
      "{\"model\": \"ancla\", \"messages\": [{\"role\": \"user\", \"content\": \"¿Qué formatos admite?\"}]}";

  /** The turns a {@code history} may have: a long conversation, well past what a prompt uses. */
  static final int MAX_HISTORY_TURNS = 40;

  /**
   * The characters of content a {@code history} may have in all. With a question, that keeps a
   * mostly Latin-script request under the 64 KiB body limit, so the clearer error comes first.
   */
  static final int MAX_HISTORY_CHARS = 32_000;

  private static final List<String> MESSAGE_ROLES =
      List.of("system", "developer", "user", "assistant", "tool");
  private static final List<String> HISTORY_ROLES = List.of("user", "assistant");

  /** What {@link OpenAiRoutes#sources} appends: a blank line, "Sources:", one "[n] ..." a line. */
  private static final Pattern SOURCES =
      Pattern.compile("\\s*\\n\\s*Sources:[ \\t]*(?:\\n[ \\t]*\\[\\d+\\][^\\n]*)+\\s*\\z");

  private ChatMessages() {}

  static Conversation conversation(JsonNode body) {
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw ApiError.badRequest("'messages' must be a non-empty array, e.g. " + EXAMPLE);
    }
    int last = -1;
    for (int i = 0; i < messages.size(); i++) {
      if (role(messages.get(i), "messages", i, MESSAGE_ROLES, EXAMPLE).equals("user")) {
        last = i;
      }
    }
    if (last < 0) {
      throw ApiError.badRequest(
          "no message has role 'user'; the last user message is the question, e.g. " + EXAMPLE);
    }
    var history = new ArrayList<Turn>();
    var instructions = new StringBuilder();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      switch (role(message, "messages", i, MESSAGE_ROLES, EXAMPLE)) {
        case "system", "developer" ->
            instructions.append(text(message, "messages", i)).append("\n\n");
        case "user", "assistant" -> {
          if (i < last) history.add(turn(message, "messages", i, EXAMPLE));
        }
        default -> {} // tool results: Ancla calls no tools
      }
    }
    return new Conversation(history, question(messages.get(last), last), instructions.toString());
  }

  /**
   * The turns of a {@code "history"} field: an array of user and assistant messages, oldest first,
   * of at most {@value #MAX_HISTORY_TURNS} turns and {@value #MAX_HISTORY_CHARS} characters of
   * content. Every 400 names the bad element and quotes {@code example}, a whole valid body.
   */
  static List<Turn> history(JsonNode history, String example) {
    if (!history.isArray()) {
      throw ApiError.badRequest(
          "'history' must be an array of {\"role\": \"user\" or \"assistant\", \"content\":"
              + " \"...\"}, oldest first; got "
              + Params.abbreviate(history.toString())
              + "; e.g. "
              + example);
    }
    if (history.size() > MAX_HISTORY_TURNS) {
      throw ApiError.badRequest(
          "'history' has "
              + history.size()
              + " turns; at most "
              + MAX_HISTORY_TURNS
              + " are accepted: send the most recent ones");
    }
    var turns = new ArrayList<Turn>();
    int chars = 0;
    for (int i = 0; i < history.size(); i++) {
      Turn turn = turn(history.get(i), "history", i, example);
      chars += turn.text().length();
      turns.add(turn);
    }
    if (chars > MAX_HISTORY_CHARS) {
      throw ApiError.badRequest(
          "'history' has "
              + chars
              + " characters of content; at most "
              + MAX_HISTORY_CHARS
              + " are accepted: drop the oldest turns");
    }
    return turns;
  }

  /** A user or assistant message as a turn; assistant ones lose the list {@link #sources} adds. */
  private static Turn turn(JsonNode message, String list, int index, String example) {
    return switch (role(message, list, index, HISTORY_ROLES, example)) {
      case "user" -> new Turn(Role.USER, text(message, list, index));
      default -> new Turn(Role.ASSISTANT, withoutSources(text(message, list, index)));
    };
  }

  private static String question(JsonNode message, int index) {
    String text = text(message, "messages", index);
    if (text.isEmpty()) {
      throw ApiError.badRequest(
          "the last user message has no text; ask a question, e.g. " + EXAMPLE);
    }
    if (text.length() > AskRoutes.MAX_QUESTION_CHARS) {
      throw ApiError.badRequest(
          "the last user message is "
              + text.length()
              + " characters long; at most "
              + AskRoutes.MAX_QUESTION_CHARS
              + " are accepted");
    }
    return text;
  }

  /**
   * The role of {@code list[index]}, which must be an object whose role is one of {@code roles}.
   */
  private static String role(
      JsonNode message, String list, int index, List<String> roles, String example) {
    String role = message.path("role").asText("");
    if (!message.isObject() || !roles.contains(role) || !message.path("role").isTextual()) {
      throw ApiError.badRequest(
          list
              + "["
              + index
              + "] has role '"
              + Params.abbreviate(role)
              + "'; each message is an object whose role is "
              + String.join(", ", roles.subList(0, roles.size() - 1))
              + " or "
              + roles.getLast()
              + ", e.g. "
              + example);
    }
    return role;
  }

  /** The text of a message: a string, a list of parts whose text ones are joined, or none. */
  private static String text(JsonNode message, String list, int index) {
    JsonNode content = message.path("content");
    if (content.isTextual()) {
      return content.asText().strip();
    }
    if (content.isMissingNode() || content.isNull()) {
      return ""; // an assistant message with only tool calls
    }
    if (!content.isArray()) {
      throw ApiError.badRequest(
          list
              + "["
              + index
              + "].content must be a string or an array of parts like {\"type\": \"text\", \"text\":"
              + " \"...\"}");
    }
    var parts = new StringBuilder();
    content.forEach(
        p -> {
          if ("text".equals(p.path("type").asText())) {
            parts.append(p.path("text").asText()).append(' ');
          }
        });
    return parts.toString().strip();
  }

  /** An earlier answer of Ancla's without its "Sources:" list, which the model need not reread. */
  static String withoutSources(String text) {
    return SOURCES.matcher(text).replaceFirst("");
  }
}
