package dev.ancla.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ancla.config.Config.Language;
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
