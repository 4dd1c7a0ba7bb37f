package dev.ancla.embed;

/**
 * Cuts a text into consecutive windows of at most {@code maxChars} characters, so that no call into
 * the native tokenizer gets more than that. A whole huge text in one call made the tokenizer build
 * millions of token objects at once; an allocation failure inside its JNI callback then aborts the
 * JVM (the Rust side unwraps the pending Java exception), which no Java code can catch.
 *
 * <p>Contract: the windows, concatenated, are the text; each is at most {@code maxChars} long and,
 * when the text is longer, ends just before a whitespace character found in its second half, else
 * at a code point boundary (a surrogate pair is never cut). Texts of at most {@code maxChars} are
 * one window, so they tokenize exactly as before. Only a run of more than {@code maxChars / 2}
 * characters without whitespace is cut inside a "word"; tokenizers treat such a run as unknown or
 * as byte pieces anyway.
 */
final class TextWindows {
  /** Characters per native tokenizer call: about 2,000 tokens of prose, some 300 KB of objects. */
  static final int MAX_CHARS = 8_192;

  private TextWindows() {}

  /** The end (exclusive) of the window that starts at {@code from}. */
  static int end(String text, int from, int maxChars) {
    if (text.length() - from <= maxChars) return text.length();
    int limit = from + maxChars;
    for (int i = limit; i > from + maxChars / 2; i--) {
      if (Character.isWhitespace(text.charAt(i))) return i;
    }
    // no whitespace: cut between two code points
    if (Character.isLowSurrogate(text.charAt(limit))
        && Character.isHighSurrogate(text.charAt(limit - 1))) {
      return limit - 1;
    }
    return limit;
  }

  /** The first window of {@code text}: at most {@code maxChars} characters from its start. */
  static String prefix(String text, int maxChars) {
    return text.substring(0, end(text, 0, maxChars));
  }
}
