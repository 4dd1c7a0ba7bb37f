package dev.ancla.index;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryCachingPolicy;
import org.apache.lucene.search.SearcherFactory;

/**
 * Searchers whose filters are cached per segment from their first use (in Lucene's bounded LRU
 * query cache, which drops a segment's entries with the segment). The policy is asked only about
 * queries that filter without scoring: above all the "chunks of these files" filter of every kNN
 * search, for which Lucene builds a bit set over every document of every segment on each query.
 * With Lucene's default policy (which caches a filter only after several uses) a profile showed
 * that bit set built on every query. At 100,000 chunks, caching took a kNN search from 1.56 to 1.37
 * ms (docs/BENCHMARKS.md §7); results are the same by construction.
 */
final class FilterCachingSearchers extends SearcherFactory {
  static final FilterCachingSearchers INSTANCE = new FilterCachingSearchers();

  private static final QueryCachingPolicy FROM_FIRST_USE =
      new QueryCachingPolicy() {
        @Override
        public void onUse(Query query) {}

        @Override
        public boolean shouldCache(Query query) {
          return true;
        }
      };

  private FilterCachingSearchers() {}

  @Override
  public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) {
    var searcher = new IndexSearcher(reader);
    searcher.setQueryCachingPolicy(FROM_FIRST_USE);
    return searcher;
  }
}
