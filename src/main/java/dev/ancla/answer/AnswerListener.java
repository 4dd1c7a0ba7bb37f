package dev.ancla.answer;

import java.util.List;

/**
 * Receives an answer while it is written, for streaming. {@link #context} comes once, before any
 * token: the citations the tokens' {@code [n]} refer to. For extractive answers these are final; an
 * LLM's tokens number the chunks as its prompt did, so {@code context} carries every chunk of the
 * prompt, and the returned {@link Answer} (renumbered, only what is cited) is authoritative.
 */
public interface AnswerListener {
  AnswerListener NONE = new AnswerListener() {};

  default void context(List<Citation> citations) {}

  default void token(String text) {}
}
