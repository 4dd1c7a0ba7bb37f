package dev.ancla.answer;

import dev.ancla.query.SearchHit;
import java.io.IOException;
import java.util.List;

/** Writes an answer to a question from retrieved chunks, citing them. Thread-safe. */
public interface Answerer {

  /**
   * @param context the retrieved chunks, best first
   * @param listener told the citations first, then the answer text as it is written
   * @throws IOException when a remote model fails after its retries; the message says why and never
   *     contains a secret
   */
  Answer answer(String question, List<SearchHit> context, AnswerListener listener)
      throws IOException;

  /** "extractive", or "llm (model)": for logs and status. */
  String describe();
}
