package dev.ancla.config;

import dev.ancla.config.Config.Language;
import java.util.Locale;
import java.util.Optional;

/**
 * How much the vector list counts in hybrid fusion (words' BM25 counts 1), by the query's language:
 * a property of the embedding model, since a model serves some languages better than others. The
 * bundled all-MiniLM-L6-v2 was trained on English: its vectors are worth a lot on English queries
 * and little on Spanish ones ({@link #BUNDLED}, measured in docs/QUALITY.md, fourth pass). A model
 * you bring is assumed to serve every language as the bundled one serves English ({@link #uniform})
 * unless it declares its own weights (ANCLA_VECTOR_WEIGHTS, or {@code ancla-model.properties} in
 * ANCLA_MODEL_DIR).
 *
 * @param spanish for queries detected as Spanish
 * @param english for queries detected as English
 * @param other for queries that give no sign of their language (acronyms, names)
 */
public record VectorWeights(double spanish, double english, double other) {
  /** The bundled English model's weights, measured on held-out Spanish and English queries. */
  public static final VectorWeights BUNDLED = new VectorWeights(0.2, 1.5, 1.0);

  public VectorWeights {
    for (double w : new double[] {spanish, english, other}) {
      if (!(w >= 0 && w <= 100)) {
        throw new IllegalArgumentException(
            "a vector weight is " + w + "; expected 0 to 100, e.g. es=0.1,en=0.5,other=0.3");
      }
    }
  }

  /** The same weight whatever the query's language: a model that serves every language alike. */
  public static VectorWeights uniform(double weight) {
    return new VectorWeights(weight, weight, weight);
  }

  /** The default for a model other than the bundled one, when it declares no weights. */
  public static VectorWeights undeclared() {
    return uniform(BUNDLED.english());
  }

  /** The weight for a query in {@code language}; empty when its language is not known. */
  public double of(Optional<Language> language) {
    return language
        .map(
            l ->
                switch (l) {
                  case ES -> spanish;
                  case EN -> english;
                })
        .orElse(other);
  }

  /**
   * Parses "es=0.1,en=0.5,other=0.3" (languages left out get {@code other}'s weight, or the
   * smallest given when other is left out too) or one number for every language ("0.5").
   */
  public static VectorWeights parse(String text) {
    String t = text.strip();
    String usage = "; expected one weight (0.5) or es=0.1,en=0.5,other=0.3";
    if (t.isEmpty()) {
      throw new IllegalArgumentException("the vector weights are empty" + usage);
    }
    if (!t.contains("=")) {
      return uniform(number(t, usage));
    }
    Double es = null;
    Double en = null;
    Double other = null;
    for (String part : t.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("the vector weights are \"" + text + "\"" + usage);
      }
      double w = number(kv[1].strip(), usage);
      switch (kv[0].strip().toLowerCase(Locale.ROOT)) {
        case "es" -> es = w;
        case "en" -> en = w;
        case "other" -> other = w;
        default ->
            throw new IllegalArgumentException(
                "the vector weights name \""
                    + kv[0].strip()
                    + "\"; languages are es, en, other"
                    + usage.substring(1));
      }
    }
    double rest =
        other != null
            ? other
            : Math.min(es == null ? Double.MAX_VALUE : es, en == null ? Double.MAX_VALUE : en);
    return new VectorWeights(es == null ? rest : es, en == null ? rest : en, rest);
  }

  private static double number(String s, String usage) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a vector weight is \"" + s + "\"" + usage);
    }
  }

  /** The form {@link #parse} reads, e.g. "es=0.1,en=0.5,other=0.3". */
  public String describe() {
    return spanish == english && english == other
        ? String.valueOf(spanish)
        : "es=" + spanish + ",en=" + english + ",other=" + other;
  }
}
