package dev.ancla.ingest.chunk;

import java.text.BreakIterator;
import java.util.Arrays;
import java.util.Locale;

/** Where sentences end in a paragraph, by the JDK's language-neutral sentence rules. */
final class SentenceSplitter {
  private SentenceSplitter() {}

  /**
   * Offsets strictly inside text, in increasing order, where a sentence starts (after the previous
   * one's end and trailing spaces). Cutting there never splits a sentence.
   */
  static int[] boundaries(String text) {
    BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
    sentences.setText(text);
    int[] found = new int[16];
    int n = 0;
    for (int b = sentences.next();
        b != BreakIterator.DONE && b < text.length();
        b = sentences.next()) {
      if (n == found.length) found = Arrays.copyOf(found, n * 2);
      found[n++] = b;
    }
    return Arrays.copyOf(found, n);
  }

  /** The largest boundary in [from, to], or -1. */
  static int lastBetween(int[] boundaries, int from, int to) {
    int i = Arrays.binarySearch(boundaries, to);
    int candidate = i >= 0 ? i : -i - 2; // index of the largest boundary <= to
    return candidate >= 0 && boundaries[candidate] >= from ? boundaries[candidate] : -1;
  }
}
