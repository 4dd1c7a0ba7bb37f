package dev.ancla.server;

import dev.ancla.Ancla;
import dev.ancla.answer.Answer;
import dev.ancla.answer.AnswerListener;
import dev.ancla.answer.Conversation;
import dev.ancla.query.Filter;
import dev.ancla.query.SearchHit;
import java.io.IOException;
import java.util.List;

/**
 * How both chat endpoints answer a conversation, so that {@code /api/ask} with a history and {@code
 * /v1/chat/completions} cannot drift apart: the index is searched with the question as it reads in
 * the conversation ({@link dev.ancla.answer.QueryRewriter}), and the answerer gets the whole
 * conversation. Without earlier turns the search text is the question itself, so a single question
 * is answered exactly as before conversations existed.
 */
final class Answering {
  private Answering() {}

  static Answer answer(
      Ancla ancla, Conversation conversation, int k, Filter filter, AnswerListener listener)
      throws IOException {
    String query = ancla.queryRewriter().searchQuery(conversation);
    List<SearchHit> hits = ancla.retriever().search(query, k, filter);
    return ancla.answerer().answer(conversation, hits, listener);
  }
}
