package dev.ancla.embed;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextWindowsTest {
  private static List<String> windows(String text, int max) {
    var result = new ArrayList<String>();
    for (int from = 0; from < text.length(); ) {
      int end = TextWindows.end(text, from, max);
      assertTrue(end > from, "progress at " + from);
      result.add(text.substring(from, end));
      from = end;
    }
    return result;
  }

  @Test
  void aShortTextIsOneWindow() {
    assertEquals(List.of("hola mundo"), windows("hola mundo", 64));
  }

  @Test
  void windowsAreBoundedAndEndBeforeWhitespace() {
    String text = SpanishText.words(500, 4);
    List<String> windows = windows(text, 100);
    assertEquals(text, String.join("", windows));
    for (int i = 0; i < windows.size(); i++) {
      String w = windows.get(i);
      assertTrue(w.length() <= 100, w);
      if (i > 0) assertTrue(Character.isWhitespace(w.charAt(0)), "cut before a space: " + w);
    }
  }

  @Test
  void aRunWithoutWhitespaceIsCutBetweenCodePoints() {
    String text = "😀".repeat(500); // surrogate pairs only
    List<String> windows = windows(text, 101);
    assertEquals(text, String.join("", windows));
    for (String w : windows) {
      assertTrue(w.length() <= 101);
      assertFalse(Character.isLowSurrogate(w.charAt(0)), "a pair was cut");
    }
    assertEquals("😀".repeat(50), TextWindows.prefix(text, 101));
  }
}
