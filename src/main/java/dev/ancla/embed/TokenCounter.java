package dev.ancla.embed;

import java.util.List;

/** The embedding model's tokenizer, as far as chunking needs it. Thread-safe. */
public interface TokenCounter {

  /** Number of model tokens in text, not counting special tokens such as [CLS] and [SEP]. */
  int count(String text);

  /**
   * Character spans of the model tokens of text, in order, special tokens excluded. Sub-word pieces
   * of one word are separate spans; {@code spans(t).size() == count(t)}.
   */
  List<Span> spans(String text);

  /** Half-open char range {@code [start, end)} of one token in the text it came from. */
  record Span(int start, int end) {}
}
