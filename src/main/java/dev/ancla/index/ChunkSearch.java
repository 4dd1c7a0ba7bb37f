package dev.ancla.index;

import dev.ancla.query.Filter;
import dev.ancla.query.RetrievalSettings;
import dev.ancla.query.SearchHit;
import java.io.IOException;
import java.util.List;

/**
 * The retrieval side of the index seam (ARCHITECTURE.md decision 17): ranked lists of chunks for
 * the words of a query, for its character n-grams and for a query vector, each restricted by a
 * {@link Filter}. Fusion, near-duplicate removal and answers sit above it and are shared by every
 * backend.
 */
public interface ChunkSearch {
  /** Runs {@code work} on one point-in-time view of the index. */
  <T> T withView(Work<T> work) throws IOException;

  /** A function over a view that may throw IOException. */
  @FunctionalInterface
  interface Work<T> {
    T apply(View view) throws IOException;
  }

  /**
   * A consistent view of the chunks. Its methods may be called from several threads at once (the
   * legs of one search run side by side); each list is best first, at most {@code depth} long, and
   * holds chunks only, of files that pass the filter.
   */
  interface View {
    /** BM25 on the analyzed words of the text, heading matches added at the heading boost. */
    List<Ranked> words(String query, Filter filter, int depth, RetrievalSettings settings)
        throws IOException;

    /** BM25 on the character n-gram fields of the text and the heading path. */
    List<Ranked> ngrams(String query, Filter filter, int depth, RetrievalSettings settings)
        throws IOException;

    /**
     * Nearest chunks to a unit-length vector, scored by the exact dot product as Lucene scales it,
     * (1 + dot) / 2, so that scores lie in [0, 1].
     */
    List<Ranked> vectors(float[] vector, Filter filter, int depth) throws IOException;

    /**
     * The lists {@code legs} asks for, in the order words, n-grams, vectors (a list not asked for
     * is left out). Handles must not depend on which list was ready first, since fusion breaks ties
     * by handle. By default the vector leg runs beside the lexical ones ({@link
     * Legs#vectorBeside}); a backend whose lists are round trips to a server runs all of them at
     * once.
     */
    default List<List<Ranked>> search(Legs legs) throws IOException {
      return Legs.vectorBeside(this, legs);
    }

    /** The stored chunk a candidate of this view stands for, with the candidate's score. */
    SearchHit hit(Ranked candidate) throws IOException;
  }
}
