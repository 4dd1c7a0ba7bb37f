package dev.ancla.bench;

import dev.ancla.config.Config;
import dev.ancla.embed.ModelInfo;
import dev.ancla.index.Analyzers;
import dev.ancla.index.ChunkRecord;
import dev.ancla.index.CommitInfo;
import dev.ancla.index.IndexStore;
import dev.ancla.index.RegistryEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;

/**
 * Writes the synthetic corpus into an Ancla index through {@link IndexStore}, the way a sync does:
 * one registry entry per source file ({@code src-F.txt}, 16 chunks each), chunks with their text,
 * text hash and vector, then one commit with complete-state commit data.
 */
final class SyntheticIndex {
  /** The texts are English words; the analyzer only matters for BM25 and the postings' size. */
  static final Config.Language LANGUAGE = Config.Language.EN;

  static final String SOURCE = "synthetic";

  private SyntheticIndex() {}

  static Analyzer analyzer() {
    return Analyzers.forLanguage(LANGUAGE);
  }

  record Built(int docs, int files, long millis, CommitInfo commit, long bytes) {}

  /** Builds the index for the first {@code n} docs in the empty or absent {@code indexDir}. */
  static Built build(Path indexDir, int n, SyntheticCorpus corpus) throws IOException {
    if (Files.isDirectory(indexDir)) {
      try (var entries = Files.list(indexDir)) {
        if (entries.findAny().isPresent()) {
          throw new IOException(
              indexDir
                  + " is not empty; the benchmark builds a fresh index. Remove it or pick another --out");
        }
      }
    }
    long start = System.nanoTime();
    int files = (n + SyntheticCorpus.CHUNKS_PER_FILE - 1) / SyntheticCorpus.CHUNKS_PER_FILE;
    long now = System.currentTimeMillis();
    try (var store = IndexStore.openForWriting(indexDir, analyzer())) {
      for (int f = 0; f < files; f++) {
        int first = f * SyntheticCorpus.CHUNKS_PER_FILE;
        int last = Math.min(n, first + SyntheticCorpus.CHUNKS_PER_FILE);
        var chunks = new ArrayList<ChunkRecord>(last - first);
        var file = new StringBuilder();
        for (int i = first; i < last; i++) {
          String text = corpus.docText(i);
          file.append(text).append('\n');
          chunks.add(new ChunkRecord(i - first, text, "", 0, sha256(text), corpus.docVector(i)));
        }
        String content = file.toString();
        var entry =
            new RegistryEntry(
                SOURCE,
                SyntheticCorpus.fileOf(first),
                SyntheticCorpus.fileOf(first),
                RegistryEntry.folderVersion(content.getBytes(StandardCharsets.UTF_8).length, now),
                content.getBytes(StandardCharsets.UTF_8).length,
                Optional.empty(),
                Optional.empty(),
                sha256(content),
                RegistryEntry.Status.OK,
                Optional.empty(),
                chunks.size(),
                "text/plain",
                "",
                false,
                0,
                0,
                now);
        store.write(entry, chunks);
      }
      CommitInfo commit =
          store.commit(
              Map.of(
                  "model.name",
                  "synthetic-seed" + corpus.seed(),
                  "model.fingerprint",
                  "synthetic-seed" + corpus.seed() + "-dim384",
                  "model.dimension",
                  String.valueOf(SyntheticCorpus.DIM),
                  "state",
                  CommitInfo.STATE_COMPLETE,
                  "committed_at",
                  Instant.ofEpochMilli(now).toString()));
      long millis = (System.nanoTime() - start) / 1_000_000;
      return new Built(n, files, millis, commit, store.sizeOnDisk());
    }
  }

  /**
   * Records {@code model} as the model of the index's vectors, in a new commit: a server then finds
   * the model it is configured with (no re-embedding), and embeds text queries with it for the
   * hybrid search. The vectors stay the synthetic ones, so text results mean nothing; only the
   * work, and so the latency, is that of a real hybrid search. Searches by vector are unchanged.
   */
  static CommitInfo stampModel(Path indexDir, ModelInfo model) throws IOException {
    if (model.dimension() != SyntheticCorpus.DIM) {
      throw new IOException(
          model.name() + " makes vectors of " + model.dimension() + ", not " + SyntheticCorpus.DIM);
    }
    try (var store = IndexStore.openForWriting(indexDir, analyzer())) {
      var data = new HashMap<>(store.lastCommit().orElseThrow().raw());
      data.put("model.name", model.name());
      data.put("model.fingerprint", model.fingerprint());
      data.put("model.dimension", String.valueOf(model.dimension()));
      return store.commit(data);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static String sha256(String text) {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Bytes of every file under {@code dir}, like {@code du -sb} without directory entries. */
  static long bytesUnder(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(SyntheticIndex::size).sum();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
