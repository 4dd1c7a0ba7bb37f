package dev.ancla.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.answer.Conversation;
import dev.ancla.answer.Conversation.Role;
import dev.ancla.answer.Conversation.Turn;
import java.util.ArrayList;
import java.util.regex.Pattern;

/**
 * Reads the {@code messages} of an OpenAI chat completion request as a {@link Conversation}. The
 * last user message is the question; the user and assistant messages before it are the history
 * (assistant ones without the "Sources:" list Ancla appended to them); system and developer
 * messages are the client's instructions. Tool messages, parts other than text, and messages after
 * the question are ignored. Anything else is a 400 that says what is accepted.
 */
final class ChatMessages {
  static final String EXAMPLE =
      "{\"model\": \"ancla\", \"messages\": [{\"role\": \"user\", \"content\": \"¿Qué formatos admite?\"}]}";

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
      if (role(messages.get(i), i).equals("user")) {
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
      switch (role(message, i)) {
        case "system", "developer" -> instructions.append(text(message, i)).append("\n\n");
        case "user" -> {
          if (i < last) history.add(new Turn(Role.USER, text(message, i)));
        }
        case "assistant" -> {
          if (i < last) history.add(new Turn(Role.ASSISTANT, withoutSources(text(message, i))));
        }
        default -> {} // tool results: Ancla calls no tools
      }
    }
    return new Conversation(history, question(messages.get(last), last), instructions.toString());
  }

  private static String question(JsonNode message, int index) {
    String text = text(message, index);
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

  private static String role(JsonNode message, int index) {
    String role = message.path("role").asText("");
    if (!message.isObject()
        || !role.matches("system|developer|user|assistant|tool")
        || !message.path("role").isTextual()) {
      throw ApiError.badRequest(
          "messages["
              + index
              + "] has role '"
              + Params.abbreviate(role)
              + "'; each message is an object whose role is system, developer, user, assistant or"
              + " tool, e.g. "
              + EXAMPLE);
    }
    return role;
  }

  /** The text of a message: a string, a list of parts whose text ones are joined, or none. */
  private static String text(JsonNode message, int index) {
    JsonNode content = message.path("content");
    if (content.isTextual()) {
      return content.asText().strip();
    }
    if (content.isMissingNode() || content.isNull()) {
      return ""; // an assistant message with only tool calls
    }
    if (!content.isArray()) {
      throw ApiError.badRequest(
          "messages["
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
