package dev.ancla.index;

import dev.ancla.config.Config.Language;
import dev.ancla.config.Config.Stemmer;
import java.util.Map;
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
import org.apache.lucene.analysis.hunspell.HunspellStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * Full-text analysis. Users' documents are mostly Spanish with English mixed in, so both languages'
 * stop words are removed whatever the configured language, accents are folded (users type "indice"
 * for "índice"), and the configured language picks the stemmer.
 */
public final class Analyzers {
  private Analyzers() {}

  /**
   * The size of {@link IndexSchema#TEXT_NGRAM}'s grams: the best of 3, 4, 5 and 3-4 on the tuning
   * fifth of the public set (docs/QUALITY.md). Changing it changes the index: a new schema version.
   */
  static final int NGRAM = 3;

  /**
   * The word analyzer for every field but the n-gram fields, which get {@link #ngrams}. The
   * analyzer is chosen by field name both when indexing and when parsing queries.
   */
  public static Analyzer forLanguage(Language language) {
    return forLanguage(language, Stemmer.LIGHT);
  }

  /** As {@link #forLanguage(Language)}, with Spanish words stemmed by {@code stemmer}. */
  public static Analyzer forLanguage(Language language, Stemmer stemmer) {
    Analyzer words = words(language, stemmer);
    Analyzer grams = ngrams(NGRAM, NGRAM);
    return new PerFieldAnalyzerWrapper(
        words, Map.of(IndexSchema.TEXT_NGRAM, grams, IndexSchema.HEADING_NGRAM, grams));
  }

  /** Stop words of both languages, for every analyzer. */
  private static CharArraySet stopWords() {
    CharArraySet stopWords = new CharArraySet(SpanishAnalyzer.getDefaultStopSet(), false);
    stopWords.addAll(EnglishAnalyzer.getDefaultStopSet());
    return CharArraySet.unmodifiableSet(stopWords);
  }

  /**
   * Character n-grams of the same lowercased, stop-word-free, accent-folded words the word analyzer
   * stems: "secciones" gives sec, ecc, cci, cio, ion, one, nes (with 3-grams) and the word itself.
   * Words shorter than min stay whole. N-grams never cross words.
   */
  public static Analyzer ngrams(int min, int max) {
    CharArraySet stop = stopWords();
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        var source = new StandardTokenizer();
        TokenStream stream = new LowerCaseFilter(source);
        stream = new StopFilter(stream, stop);
        stream = new ASCIIFoldingFilter(stream);
        stream = new NGramTokenFilter(stream, min, max, true);
        return new TokenStreamComponents(source, stream);
      }

      @Override
      protected TokenStream normalize(String fieldName, TokenStream in) {
        return new ASCIIFoldingFilter(new LowerCaseFilter(in));
      }
    };
  }

  private static Analyzer words(Language language, Stemmer stemmer) {
    CharArraySet stop = stopWords();
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
        if (language == Language.ES && stemmer == Stemmer.HUNSPELL) {
          // Hunspell reads words as written (its dictionary has the accents), so it runs before
          // the folding; a word it does not know passes unchanged, and every stem of a word it
          // does is indexed at the word's position
          stream = new HunspellStemFilter(stream, SpanishDictionary.get(), true, false);
          stream = new ASCIIFoldingFilter(stream);
          return new TokenStreamComponents(source, stream);
        }
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
