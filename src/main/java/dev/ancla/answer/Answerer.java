package dev.ancla.answer;

import dev.ancla.query.SearchHit;
import java.io.IOException;
import java.util.List;

/** Writes an answer to a question from retrieved chunks, citing them. Thread-safe. */
public interface Answerer {

  /**
   * Answers the last message of a conversation; earlier turns, where the answerer uses them, only
   * help it read the question: the answer still comes from {@code context} alone.
   *
   * @param context the retrieved chunks, best first
   * @param listener told the citations first, then the answer text as it is written
   * @throws IOException when a remote model fails after its retries; the message says why and never
   *     contains a secret
   */
  Answer answer(Conversation conversation, List<SearchHit> context, AnswerListener listener)
      throws IOException;

  /** Answers a single question, as {@code /api/ask} and {@code ancla ask} do. */
  default Answer answer(String question, List<SearchHit> context, AnswerListener listener)
      throws IOException {
    return answer(Conversation.of(question), context, listener);
  }

  /** "extractive", or "llm (model)": for logs and status. */
  String describe();
}
