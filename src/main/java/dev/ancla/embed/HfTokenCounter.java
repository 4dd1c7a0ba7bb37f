package dev.ancla.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TokenCounter} backed by a Hugging Face {@code tokenizer.json} through DJL. Thread-safe:
 * the native tokenizer is immutable after creation. Close it to free the native tokenizer.
 */
public final class HfTokenCounter implements TokenCounter, AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final NativeGuard guard = new NativeGuard("token counter");
  private final int windowChars;

  private HfTokenCounter(HuggingFaceTokenizer tokenizer, int windowChars) {
    this.tokenizer = tokenizer;
    this.windowChars = windowChars;
  }

  /** Counts with the tokenizer of the bundled model, without loading the model itself. */
  public static HfTokenCounter bundled() {
    return of(ModelFiles.bundledTokenizerJson());
  }

  static HfTokenCounter of(byte[] tokenizerJson) {
    return of(tokenizerJson, TextWindows.MAX_CHARS);
  }

  /** With windows of {@code windowChars}; tests use small ones to cross many window edges. */
  static HfTokenCounter of(byte[] tokenizerJson, int windowChars) {
    try {
      return new HfTokenCounter(HfTokenizers.forCounting(tokenizerJson), windowChars);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read a tokenizer held in memory", e);
    }
  }

  /**
   * Counts window by window ({@link TextWindows}), so a text of any size goes to native code in
   * bounded pieces and memory stays flat.
   */
  @Override
  public int count(String text) {
    int count = 0;
    for (int from = 0; from < text.length(); ) {
      int end = TextWindows.end(text, from, windowChars);
      count += countWindow(text.substring(from, end));
      from = end;
    }
    return count;
  }

  private int countWindow(String window) {
    Encoding encoding = guard.call(() -> tokenizer.encode(window, false, false));
    long[] special = encoding.getSpecialTokenMask();
    int count = 0;
    for (long s : special) if (s == 0) count++;
    return count;
  }

  /**
   * DJL reports spans in Unicode code points (Rust chars) and null for tokens that have no text,
   * such as added special tokens. We convert to UTF-16 indexes, which is what Java strings use, so
   * that text beyond the Basic Multilingual Plane (emoji) does not shift every later span.
   */
  @Override
  public List<Span> spans(String text) {
    var result = new ArrayList<Span>();
    for (int from = 0; from < text.length(); ) {
      int end = TextWindows.end(text, from, windowChars);
      spansOfWindow(text.substring(from, end), from, result);
      from = end;
    }
    return result;
  }

  /** Adds the spans of one window, shifted by {@code offset}, the window's place in the text. */
  private void spansOfWindow(String text, int offset, List<Span> result) {
    Encoding encoding = guard.call(() -> tokenizer.encode(text, false, false));
    long[] special = encoding.getSpecialTokenMask();
    CharSpan[] spans = encoding.getCharTokenSpans();
    int[] utf16 = utf16Indexes(text);
    int previousEnd = 0;
    for (int i = 0; i < spans.length; i++) {
      if (special[i] != 0) continue;
      CharSpan span = spans[i];
      // a token with no text of its own still counts; it sits where the previous one ended
      int start = span == null ? previousEnd : at(utf16, span.getStart());
      int end = span == null ? previousEnd : at(utf16, span.getEnd());
      result.add(new Span(offset + start, offset + end));
      previousEnd = end;
    }
  }

  /** UTF-16 index of each code point index, or null when they are the same (no surrogates). */
  private static int[] utf16Indexes(String text) {
    int codePoints = text.codePointCount(0, text.length());
    if (codePoints == text.length()) return null;
    var indexes = new int[codePoints + 1];
    for (int cp = 0, i = 0; cp < codePoints; cp++) {
      indexes[cp] = i;
      i += Character.charCount(text.codePointAt(i));
    }
    indexes[codePoints] = text.length();
    return indexes;
  }

  private static int at(int[] utf16Indexes, int codePointIndex) {
    return utf16Indexes == null ? codePointIndex : utf16Indexes[codePointIndex];
  }

  @Override
  public void close() {
    guard.close(java.time.Duration.ofSeconds(10), tokenizer::close);
  }
}
