package dev.ancla.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.lucene.analysis.hunspell.Dictionary;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The Spanish Hunspell dictionary that ships inside Ancla: es_ES from LibreOffice's dictionaries
 * (Debian's hunspell-es 1:7.5.0-1, by Santiago Bosio, GPL-3+ or LGPL-3+ or MPL-1.1+;
 * src/main/resources/dev/ancla/index/hunspell/README). Loaded once, on first use: it is immutable
 * and shared by every analyzer.
 */
final class SpanishDictionary {
  private SpanishDictionary() {}

  private static final class Holder {
    static final Dictionary DICTIONARY = load();
  }

  static Dictionary get() {
    return Holder.DICTIONARY;
  }

  private static Dictionary load() {
    try (InputStream affix = open("es_ES.aff");
        InputStream words = open("es_ES.dic");
        var temp = new ByteBuffersDirectory()) {
      return new Dictionary(temp, "hunspell", affix, java.util.List.of(words), true);
    } catch (IOException | java.text.ParseException e) {
      throw new UncheckedIOException(
          new IOException("the bundled Spanish dictionary cannot be read: " + e.getMessage(), e));
    }
  }

  private static InputStream open(String name) throws IOException {
    InputStream in = SpanishDictionary.class.getResourceAsStream("hunspell/" + name);
    if (in == null) {
      throw new IOException("hunspell/" + name + " is missing from the application's resources");
    }
    return in;
  }
}
