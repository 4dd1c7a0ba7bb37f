package dev.ancla.index;

import dev.ancla.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;

/**
 * Turns an index on disk into what Ancla wrote before schema 2: the same files, chunks, vectors and
 * commit data, without the character n-gram fields, and "schema" 1 in the commit; and, as before
 * sources had item ids, without item ids, versions, content hints and links (a folder entry's size
 * and modification time instead). Tests of the upgrade use it, since the old version's code is
 * gone.
 */
public final class SchemaOneIndex {
  private SchemaOneIndex() {}

  /** Rewrites the index in {@code indexDir} (closed, no writer open) as schema 1 would have. */
  public static void downgrade(Path indexDir) throws IOException {
    var blocks = new ArrayList<List<Document>>();
    Map<String, String> commitData;
    try (IndexStore store = IndexStore.openReadOnly(indexDir)) {
      commitData = new HashMap<>(store.lastCommit().orElseThrow().raw());
      for (RegistryEntry entry : store.registryEntries(e -> true)) {
        var block = new ArrayList<Document>();
        for (ChunkRecord chunk : chunks(store, entry.docKey())) {
          Document doc = Documents.chunk(entry, chunk);
          doc.removeFields(IndexSchema.TEXT_NGRAM);
          doc.removeFields(IndexSchema.HEADING_NGRAM);
          doc.removeFields(IndexSchema.ITEM_ID);
          doc.removeFields(IndexSchema.LINK);
          block.add(doc);
        }
        Document registry = Documents.registry(entry);
        for (String field :
            List.of(
                IndexSchema.ITEM_ID,
                IndexSchema.VERSION_FIELD,
                IndexSchema.CONTENT_HINT,
                IndexSchema.LINK)) {
          registry.removeFields(field);
        }
        String version = entry.version();
        long modified = Long.parseLong(version.substring(version.indexOf(':') + 1));
        registry.add(new org.apache.lucene.document.StoredField(IndexSchema.MODIFIED, modified));
        block.add(registry);
        blocks.add(block);
      }
    }
    commitData.put("schema", "1");
    var config =
        new IndexWriterConfig(Analyzers.forLanguage(Config.Language.ES))
            .setCodec(IndexStore.codec())
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    try (var directory = FSDirectory.open(indexDir);
        var writer = new IndexWriter(directory, config)) {
      for (List<Document> block : blocks) {
        writer.addDocuments(block);
      }
      writer.setLiveCommitData(commitData.entrySet());
      writer.commit();
    }
  }

  private static List<ChunkRecord> chunks(IndexStore store, String docKey) throws IOException {
    return store.search(
        searcher -> {
          var query =
              new BooleanQuery.Builder()
                  .add(new TermQuery(new Term(IndexSchema.DOC_KEY, docKey)), Occur.FILTER)
                  .add(
                      new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_CHUNK)),
                      Occur.FILTER)
                  .build();
          var stored = searcher.storedFields();
          var result = new ArrayList<ChunkRecord>();
          for (ScoreDoc hit : searcher.search(query, 10_000).scoreDocs) {
            Document doc = stored.document(hit.doc);
            var page = doc.getField(IndexSchema.PAGE);
            String text = doc.get(IndexSchema.TEXT);
            String heading = doc.get(IndexSchema.HEADING);
            result.add(
                new ChunkRecord(
                    doc.getField(IndexSchema.ORDINAL).numericValue().intValue(),
                    text,
                    heading == null ? "" : heading,
                    page == null ? 0 : page.numericValue().intValue(),
                    dev.ancla.sync.ContentHash.of(text),
                    StoredVectors.byDocId(searcher.getIndexReader(), hit.doc).orElse(null)));
          }
          return result;
        });
  }
}
