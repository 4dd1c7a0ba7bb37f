package dev.ancla.snapshot;

import dev.ancla.index.IndexSchema;
import dev.ancla.index.IndexStore;
import dev.ancla.index.RegistryEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * The last resort of a restore: when no snapshot restores whole, keeps what a damaged one still
 * holds. Lucene segments are independent, so the segments whose files all arrived intact make a
 * valid index without the others; the files lost are re-indexed by the next sync, because the
 * sources are the truth.
 *
 * <p>Contract: needs the commit's {@code segments_N} and every segment's {@code .si} intact (they
 * name the segments' files); drops every segment with a missing or damaged file; writes a new
 * commit of the rest; removes every registry entry whose chunks are not all there, and chunks
 * without an entry (an entry rewritten alone can sit in another segment than its chunks), so the
 * sync sees those items as new; removes the sources' cursors and sync times from the commit data,
 * so the next sync lists every source in full and {@code serve} syncs at boot; records what was
 * lost as {@code salvaged.*} in the commit data until a complete sync clears it. Refuses when no
 * document would remain: that is an empty index, which restore never hands back.
 */
final class Salvage {
  /** What a salvage kept and lost. */
  record Salvaged(
      String manifest,
      int segmentsDropped,
      int segmentsKept,
      long documentsLost,
      long documentsKept,
      List<String> problems) {
    String describe() {
      return "salvaged snapshot "
          + manifest
          + ": dropped "
          + segmentsDropped
          + " of "
          + (segmentsDropped + segmentsKept)
          + " segments with damaged files, losing "
          + documentsLost
          + " of "
          + (documentsLost + documentsKept)
          + " documents; kept "
          + documentsKept
          + " documents. The next sync indexes the removed ones again from the sources";
    }
  }

  private Salvage() {}

  /**
   * Turns {@code dir}, holding the manifest's files except the {@code damaged} ones (by file name,
   * with why), into a valid index of what remains.
   */
  static Salvaged salvage(Path dir, Manifest manifest, Map<String, String> damaged)
      throws IOException {
    String segmentsFile =
        org.apache.lucene.index.IndexFileNames.fileNameFromGeneration(
            "segments", "", manifest.generation());
    if (damaged.containsKey(segmentsFile)) {
      throw new IOException("cannot salvage: " + damaged.get(segmentsFile));
    }
    int dropped = 0;
    int kept;
    try (Directory directory = FSDirectory.open(dir)) {
      SegmentInfos infos;
      try {
        infos = SegmentInfos.readCommit(directory, segmentsFile);
      } catch (IOException e) {
        throw new IOException("cannot salvage: a segment's description is damaged: " + e, e);
      }
      for (SegmentCommitInfo segment : List.copyOf(infos.asList())) {
        if (segment.files().stream().anyMatch(damaged::containsKey)) {
          infos.remove(segment);
          dropped++;
        }
      }
      if (infos.size() == 0) {
        throw new IOException("cannot salvage: every segment has a damaged file");
      }
      kept = infos.size();
      infos.changed();
      infos.commit(directory); // segments_{N+1}: only the intact segments
      Set<String> referenced = new HashSet<>(infos.files(true));
      for (String file : directory.listAll()) {
        if (!referenced.contains(file) && !file.equals("write.lock")) {
          directory.deleteFile(file); // the old commit and the dropped segments' intact files
        }
      }
    }
    return reconcile(dir, manifest, damaged, dropped, kept);
  }

  private static Salvaged reconcile(
      Path dir, Manifest manifest, Map<String, String> damaged, int dropped, int kept)
      throws IOException {
    try (IndexStore store = IndexStore.openForWriting(dir, new KeywordAnalyzer())) {
      var registered = new HashSet<String>();
      for (RegistryEntry entry : store.registryEntries(e -> true)) {
        registered.add(entry.docKey());
        if (entry.status() == RegistryEntry.Status.OK && chunks(store, entry) != entry.chunks()) {
          store.delete(entry.docKey());
        }
      }
      for (String orphan : chunkKeysWithout(store, registered)) {
        store.delete(orphan);
      }
      var data = new HashMap<>(store.lastCommit().orElseThrow().raw());
      data.keySet()
          .removeIf(
              k ->
                  k.startsWith("source.")
                      && (k.endsWith(".cursor")
                          || k.endsWith(".cursor_at")
                          || k.endsWith(".synced_at")));
      data.put("salvaged.from", manifest.id());
      data.put("salvaged.segments_dropped", String.valueOf(dropped));
      data.put("state", "building"); // what it holds is not what the sources hold
      store.refresh();
      long documents = store.counts().documents();
      long lost = Math.max(0, manifest.documents() - documents);
      data.put("salvaged.documents_lost", String.valueOf(lost));
      if (documents == 0) {
        throw new IOException("cannot salvage: no document's chunks are all intact");
      }
      var info = store.commit(data);
      return new Salvaged(
          manifest.id(),
          dropped,
          kept,
          lost,
          info.documents(),
          List.copyOf(new ArrayList<>(damaged.values())));
    }
  }

  private static long chunks(IndexStore store, RegistryEntry entry) throws IOException {
    return store.search(
        s ->
            (long)
                s.count(
                    new BooleanQuery.Builder()
                        .add(
                            new TermQuery(new Term(IndexSchema.DOC_KEY, entry.docKey())),
                            Occur.FILTER)
                        .add(
                            new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_CHUNK)),
                            Occur.FILTER)
                        .build()));
  }

  /** Keys of chunks whose registry entry is gone. */
  private static List<String> chunkKeysWithout(IndexStore store, Set<String> registered)
      throws IOException {
    return store.search(
        s -> {
          var orphans = new ArrayList<String>();
          Terms terms = MultiTerms.getTerms(s.getIndexReader(), IndexSchema.DOC_KEY);
          if (terms == null) {
            return orphans;
          }
          TermsEnum it = terms.iterator();
          for (BytesRef term = it.next(); term != null; term = it.next()) {
            String key = term.utf8ToString();
            if (!registered.contains(key) && it.docFreq() > 0) {
              orphans.add(key);
            }
          }
          return orphans;
        });
  }
}
