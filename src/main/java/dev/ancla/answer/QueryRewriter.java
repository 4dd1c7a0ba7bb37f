package dev.ancla.answer;

/** Turns the last message of a conversation into the text to search the index with. */
@FunctionalInterface
public interface QueryRewriter {
  /** Without a chat model: {@link Conversation#followUpQuery()}. */
  QueryRewriter HEURISTIC = Conversation::followUpQuery;

  /** The search text; the question itself when there are no earlier turns. Never fails. */
  String searchQuery(Conversation conversation);
}
