package dev.ancla.answer;

import dev.ancla.config.Config.Language;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Spanish or English, guessed cheaply from a question: Spanish punctuation and accents, else which
 * language's common words it has more of; a tie goes to the configured language.
 */
final class QuestionLanguage {
  private QuestionLanguage() {}

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

  /** More words that say nothing of what a question is about, in either language. */
  private static final Set<String> FILLERS =
      Set.of(
          ("cuanto cuanta cuantos cuantas eso esto ese esa tambien entonces otro otra pero le les"
                  + " me te about also then one ones those these them they you much many")
              .split(" "));

  static Language of(String text, Language fallback) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.matches("(?s).*[¿¡ñáéíóú].*")) {
      return Language.ES;
    }
    int es = 0;
    int en = 0;
    for (String word : lower.split("[^\\p{L}]+")) {
      if (SPANISH.contains(word)) es++;
      if (ENGLISH.contains(word)) en++;
    }
    return es > en ? Language.ES : en > es ? Language.EN : fallback;
  }

  /**
   * Whether {@code word} (lower case, without accents) is a common Spanish or English word, one
   * that says nothing of what a question is about.
   */
  static boolean common(String word) {
    return SPANISH.contains(word) || ENGLISH.contains(word) || FILLERS.contains(word);
  }

  /**
   * The words of {@code text} (runs of letters or digits, as written) that say what it is about:
   * not {@link #common}, compared without case or accents. "¿Cuánto disco tiene?" gives "disco" and
   * "tiene".
   */
  static List<String> contentWords(String text) {
    var words = new ArrayList<String>();
    for (String word : text.split("[^\\p{L}\\p{N}]+")) {
      String folded =
          Normalizer.normalize(word.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
              .replaceAll("\\p{M}", "");
      if (!word.isEmpty() && !common(folded)) {
        words.add(word);
      }
    }
    return words;
  }

  /** The answer when the documents do not support one. */
  static String notInDocuments(Language language) {
    return switch (language) {
      case ES ->
          "No está en los documentos: ninguno de los fragmentos encontrados responde a esta pregunta.";
      case EN -> "Not in the documents: none of the passages found answers this question.";
    };
  }
}
