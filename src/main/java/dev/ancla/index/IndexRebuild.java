package dev.ancla.index;

import static dev.ancla.index.IndexSchema.*;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;

/**
 * A new generation of the whole index, built in the same Lucene directory beside the old one: the
 * writer has dropped every document (uncommitted), the old generation stays readable through a
 * pinned searcher and stays the last commit, and {@link #commit} switches to the new one
 * atomically. A crash or {@link #close} before that leaves the old generation exactly as it was.
 *
 * <p>Not thread-safe except {@link #add}, which any thread may call.
 */
public final class IndexRebuild implements Closeable {
  private final IndexStore store;
  private final IndexWriter writer;
  private final IndexSearcher old;
  private DirectoryReader written; // the new generation so far, for vector reuse; opened lazily
  private boolean ended;

  IndexRebuild(IndexStore store, IndexWriter writer, IndexSearcher old) {
    this.store = store;
    this.writer = writer;
    this.old = old;
  }

  /**
   * A chunk of the old generation as stored: its text, where it sits, and its vector (null when it
   * has none), which a rebuild with the same model keeps instead of embedding the text again.
   */
  public record StoredChunk(
      int ordinal, String text, String headingPath, int page, float[] oldVector) {}

  /** Every registry entry of the old generation, by source and path. */
  public List<RegistryEntry> oldRegistry() throws IOException {
    var query = new TermQuery(new Term(KIND, KIND_DOCUMENT));
    var stored = old.storedFields();
    var result = new ArrayList<RegistryEntry>();
    int count = Math.max(1, old.count(query));
    for (ScoreDoc hit : old.search(query, count).scoreDocs) {
      result.add(Documents.registryEntry(stored.document(hit.doc)));
    }
    result.sort(Comparator.comparing(RegistryEntry::source).thenComparing(RegistryEntry::path));
    return result;
  }

  /**
   * The old generation's chunks of one file, in order; with their vectors when {@code withVectors}
   * (a rebuild with the same model), else without (null), which a new model's rebuild never reads.
   */
  public List<StoredChunk> oldChunks(String docKey, boolean withVectors) throws IOException {
    var query =
        new BooleanQuery.Builder()
            .add(new TermQuery(new Term(DOC_KEY, docKey)), Occur.FILTER)
            .add(new TermQuery(new Term(KIND, KIND_CHUNK)), Occur.FILTER)
            .build();
    var stored = old.storedFields();
    var result = new ArrayList<StoredChunk>();
    int count = old.count(query);
    if (count == 0) {
      return result;
    }
    ScoreDoc[] hits = old.search(query, count).scoreDocs;
    int[] ids = new int[hits.length];
    for (int i = 0; i < hits.length; i++) {
      ids[i] = hits[i].doc;
    }
    float[][] vectors =
        withVectors ? StoredVectors.byDocIds(old.getIndexReader(), ids) : new float[hits.length][];
    for (int i = 0; i < hits.length; i++) {
      Document doc = stored.document(hits[i].doc);
      var page = doc.getField(PAGE);
      result.add(
          new StoredChunk(
              doc.getField(ORDINAL).numericValue().intValue(),
              doc.get(TEXT),
              Optional.ofNullable(doc.get(HEADING)).orElse(""),
              page == null ? 0 : page.numericValue().intValue(),
              vectors[i]));
    }
    result.sort(Comparator.comparingInt(StoredChunk::ordinal));
    return result;
  }

  /** Adds a file and its chunks (with new vectors) to the new generation. */
  public void add(RegistryEntry entry, List<ChunkRecord> chunks) throws IOException {
    requireOpen();
    store.writeBlock(entry, chunks);
  }

  /**
   * The vector of a chunk with this text hash already added to the new generation, as of the last
   * {@link #refreshWritten}: equal texts are embedded once per rebuild.
   */
  public Optional<float[]> writtenVector(String textHash) throws IOException {
    requireOpen();
    return written == null ? Optional.empty() : StoredVectors.byTextHash(written, textHash);
  }

  /** Makes what was added so far findable by {@link #writtenVector}; flushes a segment. */
  public void refreshWritten() throws IOException {
    requireOpen();
    if (written == null) {
      written = DirectoryReader.open(writer);
    } else {
      DirectoryReader newer = DirectoryReader.openIfChanged(written, writer);
      if (newer != null) {
        written.close();
        written = newer;
      }
    }
  }

  /**
   * Commits the new generation with {@code userData} (plus counts, as {@link IndexStore#commit}):
   * from here on searches, counts and the last commit are the new generation's.
   */
  public CommitInfo commit(Map<String, String> userData) throws IOException {
    requireOpen();
    ended = true;
    try {
      releaseReaders();
      return store.finishRebuild(this, userData);
    } catch (IOException | RuntimeException e) {
      store.abandonRebuild(this); // no-op when the commit itself went through
      throw e;
    }
  }

  /** Abandons the rebuild unless it committed: the old generation stays, untouched. */
  @Override
  public void close() throws IOException {
    if (ended) {
      return;
    }
    ended = true;
    try {
      releaseReaders();
    } finally {
      store.abandonRebuild(this);
    }
  }

  private void releaseReaders() throws IOException {
    try {
      if (written != null) {
        written.close();
      }
    } finally {
      store.release(old);
    }
  }

  private void requireOpen() {
    if (ended) {
      throw new IllegalStateException("this rebuild has ended");
    }
  }
}
