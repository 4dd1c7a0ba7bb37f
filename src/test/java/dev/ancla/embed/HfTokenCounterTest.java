package dev.ancla.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ancla.embed.TokenCounter.Span;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HfTokenCounterTest {
  private HfTokenCounter tokens;

  @BeforeAll
  void load() {
    tokens = HfTokenCounter.bundled();
  }

  @AfterAll
  void close() {
    tokens.close();
  }

  @Test
  void specialTokensAreNotCounted() {
    assertEquals(0, tokens.count(""));
    assertEquals(0, tokens.count("   "));
    assertEquals(1, tokens.count("hello"));
    assertEquals(2, tokens.count("hello world"));
  }

  @Test
  void countsAreNeverCappedAtTheModelLimit() {
    String text = SpanishText.words(2000, 1);
    int count = tokens.count(text);
    assertTrue(count > 3000, "2000 Spanish words gave " + count + " tokens");
    assertEquals(count, tokens.spans(text).size());
  }

  @Test
  void spansPointAtTheTokensInJavaStringIndexes() {
    String text = "Hola 😀 señor café, ¿qué tal? 𝕏 información";
    List<Span> spans = tokens.spans(text);
    assertEquals(tokens.count(text), spans.size());
    var pieces = spans.stream().map(s -> text.substring(s.start(), s.end())).toList();
    // "señor" is cased and accented in the text; the tokenizer lowercases and strips accents
    assertTrue(pieces.contains("café"), pieces.toString());
    assertTrue(pieces.contains("😀"), pieces.toString());
    assertEquals(
        "información",
        text.substring(spans.get(spans.size() - 1).end() - 11, spans.get(spans.size() - 1).end()));
    for (int i = 1; i < spans.size(); i++) {
      assertTrue(spans.get(i).start() >= spans.get(i - 1).end(), "spans in order: " + spans);
    }
  }

  @Test
  void spanishCostsAboutTwoTokensAWord() {
    String text = SpanishText.words(200, 9);
    double perWord = (double) tokens.count(text) / text.split(" ").length;
    System.out.println("Spanish tokens per word: " + perWord);
    assertTrue(perWord > 1.3 && perWord < 2.6, "tokens per word " + perWord);
  }

  @Test
  void windowsGiveTheSameTokensAsOneCallWhereTheyCutAtWhitespace() {
    String text = SpanishText.words(600, 3) + " Hola 😀 señor café 𝕏 información, ¿qué tal?";
    byte[] json = ModelFiles.bundledTokenizerJson();
    try (var whole = HfTokenCounter.of(json, Integer.MAX_VALUE);
        var windowed = HfTokenCounter.of(json, 64)) {
      assertEquals(whole.count(text), windowed.count(text));
      assertEquals(whole.spans(text), windowed.spans(text));
    }
  }

  @Test
  void aWordLongerThanAWindowIsCutAndStillCountedConsistently() {
    String word = "x".repeat(1_000);
    try (var windowed = HfTokenCounter.of(ModelFiles.bundledTokenizerJson(), 64)) {
      int count = windowed.count(word);
      List<Span> spans = windowed.spans(word);
      assertEquals(count, spans.size());
      assertEquals(word.length(), spans.getLast().end());
      for (int i = 1; i < spans.size(); i++) {
        assertTrue(spans.get(i).start() >= spans.get(i - 1).end(), "spans in order: " + spans);
      }
    }
  }
}
