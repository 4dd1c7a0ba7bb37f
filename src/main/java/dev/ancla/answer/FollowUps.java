package dev.ancla.answer;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cheap signs, in Spanish and English, that a message of a conversation cannot be read without the
 * turns before it: it refers back (anaphora: "¿cómo lo borro?", "is it encrypted?") or leaves out
 * what it is about (ellipsis: "¿y en S3?", "what about the health check?", "¿Cuánto disco tiene?").
 * Words are compared in lower case without accents.
 */
final class FollowUps {
  private FollowUps() {}

  /** How a follow-up starts: "¿Y…", "Pero…", "And…", "What about…". */
  private static final Pattern OPENING =
      Pattern.compile(
          "^(y|e|o|pero|entonces|ademas|tambien|tampoco|and|but|so|also|then|or"
              + "|que hay de|que tal|y si|what about|how about|what if|and if)\\b");

  /** Words that stand for something said before, wherever they are. */
  private static final Set<String> REFERRING =
      Set.of(
          ("eso esto ello aquello ese esa esos esas dicho dicha dichos dichas mismo misma mismos"
                  + " mismas anterior anteriores tambien tampoco alli ahi"
                  + " it its itself they them their those these that this such same also too"
                  + " else instead former latter above previous one ones")
              .split(" "));

  /**
   * Object pronouns ("¿cómo lo borro?", "¿dónde las guarda?"): "lo" unless "lo que", and "la",
   * "los", "las", "le", "les" after a question word, "se" or "no", where they cannot be articles.
   */
  private static final Pattern CLITIC =
      Pattern.compile(
          "\\blo\\b(?! que\\b)|\\b(como|donde|cuando|que|quien|se|no) (la|los|las|le|les) \\p{L}"
              + "|\\p{L}{2,}(rlo|rla|rlos|rlas|rle|rles|ndolo|ndola|ndolos|ndolas)\\b");

  /**
   * Verbs that a question has whatever it is about, so they do not make it stand alone: "¿Cuánto
   * disco tiene?" says "disco" and nothing of what has it.
   */
  private static final Set<String> COMMON_VERBS =
      Set.of(
          ("tiene tienen tengo hay es son esta estan era hace hacen hago sirve sirven dura duran"
                  + " tarda tardan ocupa ocupan cuesta cuestan pasa ocurre funciona funcionan"
                  + " puedo puede pueden podria debo debe usa usan uso hacer ser estar"
                  + " have has had does do did get gets take takes need needs work works mean"
                  + " means happen happens use uses used cost costs last lasts was were will"
                  + " would could may might must")
              .split(" "));

  /** Whether {@code question} has a mark of referring back to the conversation. */
  static boolean refersBack(String question) {
    String folded = folded(question);
    if (OPENING.matcher(folded).find() || CLITIC.matcher(folded).find()) {
      return true;
    }
    for (String word : folded.split(" ")) {
      if (REFERRING.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code question} has at most {@code max} content words ({@link
   * QuestionLanguage#contentWords}) other than {@link #COMMON_VERBS}.
   */
  static boolean tooShort(String question, int max) {
    List<String> words = QuestionLanguage.contentWords(question);
    return words.stream().filter(w -> !COMMON_VERBS.contains(folded(w))).count() <= max;
  }

  /** Lower case, no accents, words separated by single spaces, no punctuation. */
  static String folded(String text) {
    String lower =
        Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "");
    return lower.replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
  }
}
