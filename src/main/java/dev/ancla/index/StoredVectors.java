package dev.ancla.index;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;

/**
 * Reads the full-precision vectors kept in the index: to reuse an embedding whose chunk text is
 * already indexed, and to rescore approximate kNN hits exactly.
 */
public final class StoredVectors {
  private StoredVectors() {}

  /** The vector of a live chunk whose embedded text has SHA-256 {@code textHash}, if any. */
  public static Optional<float[]> byTextHash(IndexReader reader, String textHash)
      throws IOException {
    BytesRef term = new BytesRef(textHash);
    List<LeafReaderContext> leaves = reader.leaves();
    // newest segments last; any copy will do, vectors of equal text are equal
    for (int i = leaves.size() - 1; i >= 0; i--) {
      LeafReaderContext leaf = leaves.get(i);
      TermsEnum terms = IndexStore.termsEnum(leaf, IndexSchema.TEXT_HASH);
      if (terms == null || !terms.seekExact(term)) {
        continue;
      }
      var live = leaf.reader().getLiveDocs();
      PostingsEnum postings = terms.postings(null, PostingsEnum.NONE);
      for (int doc = postings.nextDoc();
          doc != PostingsEnum.NO_MORE_DOCS;
          doc = postings.nextDoc()) {
        if (live == null || live.get(doc)) {
          Optional<float[]> vector = inLeaf(leaf, doc);
          if (vector.isPresent()) {
            return vector;
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The vector of the document with index-wide id {@code docId}, if it has one. */
  public static Optional<float[]> byDocId(IndexReader reader, int docId) throws IOException {
    LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(docId, reader.leaves()));
    return inLeaf(leaf, docId - leaf.docBase);
  }

  /**
   * The vectors of the documents with index-wide ids {@code docIds} (any order), null for one
   * without: each segment's vectors are opened once and read in document order, which is what
   * rescoring dozens of kNN candidates per query needs.
   */
  public static float[][] byDocIds(IndexReader reader, int[] docIds) throws IOException {
    var result = new float[docIds.length][];
    Integer[] order = new Integer[docIds.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> docIds[i]));
    List<LeafReaderContext> leaves = reader.leaves();
    int next = 0;
    for (LeafReaderContext leaf : leaves) {
      int end = leaf.docBase + leaf.reader().maxDoc();
      if (next >= order.length || docIds[order[next]] >= end) {
        continue;
      }
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
      KnnVectorValues.DocIndexIterator iterator = values == null ? null : values.iterator();
      for (; next < order.length && docIds[order[next]] < end; next++) {
        int doc = docIds[order[next]] - leaf.docBase;
        if (iterator == null) {
          continue;
        }
        int at = iterator.docID() >= doc ? iterator.docID() : iterator.advance(doc);
        if (at == doc) {
          result[order[next]] = values.vectorValue(iterator.index()).clone();
        }
      }
    }
    return result;
  }

  private static Optional<float[]> inLeaf(LeafReaderContext leaf, int doc) throws IOException {
    FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
    if (values == null) {
      return Optional.empty();
    }
    KnnVectorValues.DocIndexIterator iterator = values.iterator();
    if (iterator.advance(doc) != doc) {
      return Optional.empty();
    }
    return Optional.of(values.vectorValue(iterator.index()).clone());
  }
}
