package dev.ancla.query;

import dev.ancla.config.Config.Language;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Spanish or English, guessed cheaply from a query or question, or neither when it gives no sign
 * (an acronym, a command name). In order: Spanish punctuation and accents; else which language's
 * common words it has more of; else, for keyword queries that have no common words ("AIX; IPC
 * configuration", "diferencias horarias"), which language's word shapes it has more of: English
 * endings and letter pairs Spanish does not use (-tion, -ing, -ness, th, sh, w, k...) against
 * Spanish endings (-ción, -dad, -mente, -ado, -os, -as...). On the public Spanish set and on 796
 * English index entries of the PostgreSQL manual this names 3,078 of 3,080 Spanish and 757 of 796
 * English queries, and none wrongly (docs/QUALITY.md, fourth pass).
 */
public final class QueryLanguage {
  private QueryLanguage() {}

  private static final Set<String> SPANISH =
      Set.of(
          "de", "la", "el", "que", "en", "los", "las", "del", "por", "para", "con", "una", "un",
          "es", "como", "cual", "cuales", "cuando", "donde", "quien", "se", "lo", "al", "y", "o",
          "su", "sus", "hay", "puedo", "puede", "son", "esta", "este", "mi", "si", "no", "hace",
          "sirve");
  private static final Set<String> ENGLISH =
      Set.of(
          "the", "is", "are", "what", "how", "when", "where", "which", "who", "why", "do", "does",
          "can", "of", "to", "in", "for", "with", "a", "an", "and", "or", "my", "i", "it", "be",
          "should", "there", "this", "that", "if", "not", "on", "use", "happens");

  private static final Pattern SPANISH_MARKS = Pattern.compile("(?s).*[¿¡ñáéíóú].*");
  private static final Pattern ENGLISH_SHAPE =
      Pattern.compile(
          ".*(tion|tions|ing|ings|ness|ment|ments|ity|ities|ally|ful|less|ship)$"
              + "|.*(th|sh|ck|w|k|ph|ght).*|.*y[^aeiou].*|.*[^aeiou]y$");
  private static final Pattern SPANISH_SHAPE =
      Pattern.compile(
          ".*(cion|ciones|dad|dades|mente|aje|ajes|ado|ada|ados|adas|ido|ida|idos|idas|ario"
              + "|aria|ando|iendo|ncia|ncias|os|as)$");

  /** The language of {@code text}, or {@code fallback} when it gives no sign. */
  public static Language of(String text, Language fallback) {
    return detect(text).orElse(fallback);
  }

  /** The language of {@code text}; empty when it gives no sign of either. */
  public static Optional<Language> detect(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (SPANISH_MARKS.matcher(lower).matches()) {
      return Optional.of(Language.ES);
    }
    int es = 0;
    int en = 0;
    for (String word : lower.split("[^\\p{L}]+")) {
      if (SPANISH.contains(word)) es++;
      if (ENGLISH.contains(word)) en++;
    }
    if (es == en) {
      es = 0;
      en = 0;
      for (String word : text.split("[^\\p{L}]+")) {
        // acronyms and short words (SQL, GROUP BY) have no telling shape
        if (word.length() < 3 || word.equals(word.toUpperCase(Locale.ROOT))) {
          continue;
        }
        String folded = fold(word);
        if (ENGLISH_SHAPE.matcher(folded).matches()) {
          en++;
        } else if (SPANISH_SHAPE.matcher(folded).matches()) {
          es++;
        }
      }
    }
    return es > en
        ? Optional.of(Language.ES)
        : en > es ? Optional.of(Language.EN) : Optional.empty();
  }

  /** Whether {@code word} (lower case, without accents) is a common Spanish or English word. */
  public static boolean functionWord(String word) {
    return SPANISH.contains(word) || ENGLISH.contains(word);
  }

  private static String fold(String word) {
    return Normalizer.normalize(word.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "");
  }
}
