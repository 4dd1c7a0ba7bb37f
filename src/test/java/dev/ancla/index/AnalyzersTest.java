package dev.ancla.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ancla.config.Config.Language;
import dev.ancla.config.Config.Stemmer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

class AnalyzersTest {
  private static List<String> terms(Analyzer analyzer, String field, String text)
      throws IOException {
    var terms = new ArrayList<String>();
    try (TokenStream stream = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    }
    return terms;
  }

  @Test
  void hunspellBringsFormsTheLightStemmerLeavesApartToOneStem() throws IOException {
    Analyzer light = Analyzers.forLanguage(Language.ES, Stemmer.LIGHT);
    Analyzer hunspell = Analyzers.forLanguage(Language.ES, Stemmer.HUNSPELL);
    for (String[] pair :
        new String[][] {{"índices", "índice"}, {"pongo", "poner"}, {"ordena", "ordenar"}}) {
      assertNotEquals(
          terms(light, IndexSchema.TEXT, pair[0]), terms(light, IndexSchema.TEXT, pair[1]));
      assertEquals(
          terms(hunspell, IndexSchema.TEXT, pair[0]),
          terms(hunspell, IndexSchema.TEXT, pair[1]),
          pair[0] + " and " + pair[1]);
    }
    assertEquals(List.of("indice"), terms(hunspell, IndexSchema.TEXT, "Índices"), "then folded");
    assertEquals(List.of("xyzzy"), terms(hunspell, IndexSchema.TEXT, "xyzzy"), "unknown: as is");
    assertEquals(
        terms(Analyzers.forLanguage(Language.EN, Stemmer.LIGHT), IndexSchema.TEXT, "indices"),
        terms(Analyzers.forLanguage(Language.EN, Stemmer.HUNSPELL), IndexSchema.TEXT, "indices"),
        "English analysis ignores the Spanish stemmer");
  }

  @Test
  void ngramsComeFromFoldedWordsWithoutStopWordsAndKeepShortWordsWhole() throws IOException {
    assertEquals(
        List.of("ind", "ndi", "dic", "ice", "indice", "dde"),
        terms(Analyzers.ngrams(3, 3), IndexSchema.TEXT_NGRAM, "Índice de DDE"));
  }

  @Test
  void theNgramFieldsGetNgramsAndTheOthersStemmedWords() throws IOException {
    Analyzer analyzer = Analyzers.forLanguage(Language.ES);
    assertEquals(List.of("seccion"), terms(analyzer, IndexSchema.TEXT, "secciones"));
    assertEquals(
        terms(Analyzers.ngrams(Analyzers.NGRAM, Analyzers.NGRAM), "x", "secciones"),
        terms(analyzer, IndexSchema.HEADING_NGRAM, "secciones"));
  }
}
