package dev.ancla.query;

import dev.ancla.index.IndexSchema;
import java.util.Locale;
import java.util.Optional;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Which files may answer a search; every present condition must hold.
 *
 * @param source a source id, exactly
 * @param pathPrefix a prefix of the path relative to the source, e.g. "manuales/2024/"
 * @param extension the file type as its extension, e.g. "pdf"; a leading dot and case are ignored
 */
public record Filter(Optional<String> source, Optional<String> pathPrefix, Optional<String> extension) {

  /** No restriction. */
  public static final Filter NONE = new Filter(Optional.empty(), Optional.empty(), Optional.empty());

  public Filter {
    extension = extension.map(e -> e.strip().replaceFirst("^\\.", "").toLowerCase(Locale.ROOT));
  }

  public boolean isEmpty() {
    return source.isEmpty() && pathPrefix.isEmpty() && extension.isEmpty();
  }

  /** The filter as a Lucene query on chunk fields; empty when it restricts nothing. */
  Optional<Query> query() {
    if (isEmpty()) {
      return Optional.empty();
    }
    var all = new BooleanQuery.Builder();
    source.ifPresent(s -> all.add(new TermQuery(new Term(IndexSchema.SOURCE, s)), Occur.FILTER));
    pathPrefix.ifPresent(p -> all.add(new PrefixQuery(new Term(IndexSchema.PATH, p)), Occur.FILTER));
    extension.ifPresent(e -> all.add(new TermQuery(new Term(IndexSchema.EXTENSION, e)), Occur.FILTER));
    return Optional.of(all.build());
  }
}
