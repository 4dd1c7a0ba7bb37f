package dev.ancla.answer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.answer.Conversation.Turn;
import dev.ancla.config.Config.Language;
import dev.ancla.config.Config.LlmSpec;
import dev.ancla.openai.OpenAiClient;
import dev.ancla.query.SearchHit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Answers with an OpenAI-compatible chat model: the retrieved chunks go into the prompt, numbered,
 * as many as fit the token budget; the model is told to answer only from them, cite them as {@code
 * [n]}, answer in the question's language and say when they do not hold the answer. In a
 * conversation the earlier turns come before the question, within their own token budget. Tokens
 * are streamed to the listener; the returned answer is renumbered to the chunks it cites.
 */
public final class LlmAnswerer implements Answerer {
  static final String SYSTEM =
      """
      You answer questions using only the numbered context passages, which come from the user's \
      documents. After each statement, cite the passages that support it with their numbers in square \
      brackets, like [1] or [2][3]. Answer in the language of the question. If the passages do not \
      contain the answer, say that it is not in the documents, in the language of the question, and \
      do not guess or use outside knowledge. Be concise.""";

  /** A client's system messages beyond this are cut: they share the prompt with the passages. */
  static final int MAX_INSTRUCTION_CHARS = 2_000;

  private final LlmSpec spec;
  private final OpenAiClient client;
  private final ToIntFunction<String> tokens;
  private final Language fallback;

  /**
   * @param tokens counts tokens for the budget: the embedding model's tokenizer, which approximates
   *     the chat model's
   */
  public LlmAnswerer(
      LlmSpec spec, OpenAiClient client, ToIntFunction<String> tokens, Language fallback) {
    this.spec = spec;
    this.client = client;
    this.tokens = tokens;
    this.fallback = fallback;
  }

  /**
   * Sends the earlier turns that fit {@code ANCLA_LLM_HISTORY_TOKENS} between the system prompt and
   * the question with its passages, so a follow-up reads in context; the client's instructions
   * follow the system prompt's rules, which they cannot lift.
   */
  @Override
  public Answer answer(Conversation conversation, List<SearchHit> context, AnswerListener listener)
      throws IOException {
    List<SearchHit> used = fit(context);
    if (used.isEmpty()) {
      String text =
          QuestionLanguage.notInDocuments(QuestionLanguage.of(conversation.question(), fallback));
      listener.context(List.of());
      listener.token(text);
      return new Answer(text, List.of(), Answer.LLM, Optional.of(spec.model()));
    }
    listener.context(CitationMap.numbered(used));
    var text = new StringBuilder();
    var body =
        Map.of("model", spec.model(), "stream", true, "messages", messages(conversation, used));
    client.stream(
        "/chat/completions",
        body,
        event -> {
          String token = content(event);
          if (!token.isEmpty()) {
            text.append(token);
            listener.token(token);
          }
        });
    var renumbered = CitationMap.renumber(text.toString(), used);
    return new Answer(
        renumbered.text(), renumbered.citations(), Answer.LLM, Optional.of(spec.model()));
  }

  private List<Map<String, String>> messages(Conversation conversation, List<SearchHit> used) {
    var messages = new ArrayList<Map<String, String>>();
    messages.add(message("system", system(conversation.instructions())));
    for (Turn turn : conversation.recent(tokens, spec.historyTokens(), Integer.MAX_VALUE)) {
      messages.add(message(turn.role().api(), turn.text()));
    }
    messages.add(message("user", prompt(conversation.question(), used)));
    return messages;
  }

  static Map<String, String> message(String role, String content) {
    return Map.of("role", role, "content", content);
  }

  /** The system prompt, with the client's own instructions (cut to a bound) after its rules. */
  static String system(String instructions) {
    if (instructions.isEmpty()) {
      return SYSTEM;
    }
    String own =
        instructions.length() <= MAX_INSTRUCTION_CHARS
            ? instructions
            : instructions.substring(0, MAX_INSTRUCTION_CHARS) + "…";
    return SYSTEM
        + "\n\nThe user's application adds these instructions; follow them where they do not"
        + " conflict with the rules above:\n"
        + own;
  }

  /** A streamed delta's text, or a whole message's from a server that does not stream. */
  static String content(JsonNode event) {
    JsonNode choice = event.path("choices").path(0);
    JsonNode delta = choice.path("delta").path("content");
    if (delta.isTextual()) return delta.asText();
    JsonNode message = choice.path("message").path("content");
    return message.isTextual() ? message.asText() : "";
  }

  /** The best chunks first, as many as fit the budget; the first always, cut if it must be. */
  List<SearchHit> fit(List<SearchHit> context) {
    var used = new ArrayList<SearchHit>();
    int budget = spec.contextTokens();
    for (SearchHit hit : context) {
      int cost = tokens.applyAsInt(hit.text()) + 16; // the number, path and page line
      if (cost > budget) {
        if (used.isEmpty()) {
          int chars = Math.max(200, budget * 4);
          used.add(withText(hit, hit.text().substring(0, Math.min(hit.text().length(), chars))));
        }
        break;
      }
      used.add(hit);
      budget -= cost;
    }
    return used;
  }

  private static SearchHit withText(SearchHit h, String text) {
    return h.withText(text); // keeps the link: a Drive citation points to Drive
  }

  static String prompt(String question, List<SearchHit> used) {
    var p = new StringBuilder("Context passages:\n\n");
    for (int i = 0; i < used.size(); i++) {
      SearchHit h = used.get(i);
      p.append('[').append(i + 1).append("] (").append(h.path());
      if (h.page() > 0) p.append(", page ").append(h.page());
      if (!h.heading().isEmpty()) p.append(" — ").append(h.heading());
      p.append(")\n").append(h.text().strip()).append("\n\n");
    }
    return p.append("Question: ").append(question.strip()).toString();
  }

  @Override
  public String describe() {
    return "llm (" + spec.model() + " at " + spec.baseUrl() + ")";
  }
}
