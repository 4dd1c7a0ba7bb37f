package dev.ancla.answer;

import dev.ancla.answer.Conversation.Turn;
import dev.ancla.config.Config.LlmSpec;
import dev.ancla.openai.OpenAiClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the chat model to rewrite a follow-up ("¿y cómo lo borro?") as a question that stands on its
 * own, for the search: one short non-streaming call with the last few turns. The first message of a
 * conversation, and one that {@linkplain Conversation#standsAlone() stands alone} (a new topic),
 * are searched as they are, without a call: a rewrite could only pull the old topic in. When the
 * call fails, or the model answers with nothing, the search falls back to {@link
 * Conversation#followUpQuery()}, with a warning.
 */
public final class LlmQueryRewriter implements QueryRewriter {
  private static final Logger log = LoggerFactory.getLogger(LlmQueryRewriter.class);

  static final String SYSTEM =
      """
      You rewrite the last message of a conversation as a standalone search query for a document \
      search engine. Use the earlier messages only to resolve what the last message refers to \
      (pronouns, "that", "the second one"), keep its names, terms and numbers, and write the query \
      in the language of the last message. When the last message is about something new, reply \
      with it unchanged. Reply with the query alone: no quotes, no explanation, no answer.""";

  /** The turns the rewrite sees: enough for what "it" refers to, little to pay for. */
  static final int TURNS = 6;

  static final int HISTORY_TOKENS = 800;
  static final int MAX_TOKENS = 100;

  /** As long as a question may be ({@code AskRoutes.MAX_QUESTION_CHARS}). */
  static final int MAX_QUERY_CHARS = 2_000;

  /**
   * One retry, quickly: the rewrite only sharpens the search, and the fallback is good enough that
   * waiting out the answer's full backoff first is not worth it.
   */
  public static final OpenAiClient.Retry RETRY =
      new OpenAiClient.Retry(2, Duration.ofMillis(250), Duration.ofSeconds(2));

  private final LlmSpec spec;
  private final OpenAiClient client;
  private final ToIntFunction<String> tokens;

  /**
   * @param client the chat model's, with {@link #RETRY}
   * @param tokens counts tokens for the history budget, as {@link LlmAnswerer}'s does
   */
  public LlmQueryRewriter(LlmSpec spec, OpenAiClient client, ToIntFunction<String> tokens) {
    this.spec = spec;
    this.client = client;
    this.tokens = tokens;
  }

  @Override
  public String searchQuery(Conversation conversation) {
    List<Turn> turns = conversation.recent(tokens, HISTORY_TOKENS, TURNS);
    if (turns.isEmpty() || conversation.standsAlone()) {
      return conversation.question();
    }
    var body =
        Map.of(
            "model",
            spec.model(),
            "stream",
            false,
            "temperature",
            0,
            "max_tokens",
            MAX_TOKENS,
            "messages",
            List.of(
                LlmAnswerer.message("system", SYSTEM),
                LlmAnswerer.message("user", prompt(turns, conversation.question()))));
    try {
      String query = cleaned(LlmAnswerer.content(client.post("/chat/completions", body)));
      if (!query.isEmpty()) {
        return query;
      }
      log.warn("the chat model rewrote a follow-up as nothing; searching with the heuristic");
    } catch (IOException e) {
      // The message names the service and its status, never the key or the conversation.
      log.warn(
          "could not rewrite a follow-up for the search, using the heuristic: {}", e.getMessage());
    }
    return conversation.followUpQuery();
  }

  static String prompt(List<Turn> turns, String question) {
    var p = new StringBuilder("Conversation:\n\n");
    for (Turn turn : turns) {
      p.append(turn.role() == Conversation.Role.USER ? "User: " : "Assistant: ")
          .append(turn.text())
          .append("\n\n");
    }
    return p.append("Last message: ")
        .append(question)
        .append("\n\nStandalone search query:")
        .toString();
  }

  /**
   * The first line, without the quotes or label a model may add anyway; at most a question long.
   */
  static String cleaned(String reply) {
    String line = reply.strip().lines().findFirst().orElse("").strip();
    line = line.replaceFirst("(?i)^(standalone )?(search )?query:\\s*", "");
    line = line.replaceAll("^[\"'«“]+|[\"'»”]+$", "").strip();
    return line.length() <= MAX_QUERY_CHARS ? line : line.substring(0, MAX_QUERY_CHARS);
  }
}
