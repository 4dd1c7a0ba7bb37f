package dev.ancla.index;

import dev.ancla.config.Config.Language;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.es.SpanishLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * Full-text analysis. Users' documents are mostly Spanish with English mixed in, so both languages'
 * stop words are removed whatever the configured language, accents are folded (users type "indice"
 * for "índice"), and the configured language picks the stemmer.
 */
public final class Analyzers {
  private Analyzers() {}

  public static Analyzer forLanguage(Language language) {
    CharArraySet stopWords = new CharArraySet(SpanishAnalyzer.getDefaultStopSet(), false);
    stopWords.addAll(EnglishAnalyzer.getDefaultStopSet());
    CharArraySet stop = CharArraySet.unmodifiableSet(stopWords);
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        var source = new StandardTokenizer();
        TokenStream stream = source;
        if (language == Language.EN) {
          stream = new EnglishPossessiveFilter(stream);
        }
        stream = new LowerCaseFilter(stream);
        stream = new StopFilter(stream, stop);
        stream = new ASCIIFoldingFilter(stream);
        stream =
            switch (language) {
              case ES -> new SpanishLightStemFilter(stream);
              case EN -> new PorterStemFilter(stream);
            };
        return new TokenStreamComponents(source, stream);
      }

      @Override
      protected TokenStream normalize(String fieldName, TokenStream in) {
        return new ASCIIFoldingFilter(new LowerCaseFilter(in));
      }
    };
  }
}
