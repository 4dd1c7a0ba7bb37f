package dev.ancla.embed;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts tokens without the model's tokenizer, for remote models whose tokenizer is not at hand:
 * every run of letters or digits is one token per 4 characters (rounded up), every other visible
 * character one token. Close to BPE tokenizers on English and Spanish prose (±20%); used for chunk
 * sizes and prompt budgets, which need no more.
 */
final class ApproximateTokenCounter implements TokenCounter {
  static final int CHARS_PER_TOKEN = 4;

  @Override
  public int count(String text) {
    return spans(text).size();
  }

  @Override
  public List<Span> spans(String text) {
    var spans = new ArrayList<Span>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isLetterOrDigit(c)) {
        int end = i;
        while (end < text.length() && Character.isLetterOrDigit(text.charAt(end))) end++;
        for (int start = i; start < end; start += CHARS_PER_TOKEN) {
          spans.add(new Span(start, Math.min(end, start + CHARS_PER_TOKEN)));
        }
        i = end;
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < text.length() ? i + 2 : i + 1;
        spans.add(new Span(i, end));
        i = end;
      }
    }
    return spans;
  }
}
