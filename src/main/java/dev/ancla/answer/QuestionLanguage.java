package dev.ancla.answer;

import dev.ancla.config.Config.Language;
import dev.ancla.query.QueryLanguage;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Spanish or English, guessed cheaply from a question ({@link QueryLanguage}, which retrieval uses
 * too); a question that gives no sign is in the configured language.
 */
final class QuestionLanguage {
  private QuestionLanguage() {}

  /** More words that say nothing of what a question is about, in either language. */
  private static final Set<String> FILLERS =
      Set.of(
          ("cuanto cuanta cuantos cuantas eso esto ese esa tambien entonces otro otra pero le les"
                  + " me te about also then one ones those these them they you much many")
              .split(" "));

  static Language of(String text, Language fallback) {
    return QueryLanguage.of(text, fallback);
  }

  /**
   * Whether {@code word} (lower case, without accents) is a common Spanish or English word, one
   * that says nothing of what a question is about.
   */
  static boolean common(String word) {
    return QueryLanguage.functionWord(word) || FILLERS.contains(word);
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
