package dev.ancla.bench;

import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.config.ConfigLoader;
import dev.ancla.embed.Embedder;
import dev.ancla.embed.ModelInfo;
import dev.ancla.embed.OnnxEmbedder;
import dev.ancla.embed.TokenCounter;
import dev.ancla.ingest.parse.ParseLimits;
import dev.ancla.ingest.parse.TikaDocumentParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Production Ancla, configured the way `ancla sync` is, for the ingest benchmarks. */
final class BenchAncla {
  private BenchAncla() {}

  /**
   * The config `ancla sync` would load with these ANCLA_* variables (and defaults for the rest).
   */
  static Config config(Path dataDir, Path docs, Map<String, String> extra) {
    return config(dataDir, docs.toString(), extra);
  }

  /** As {@link #config(Path, Path, Map)} with {@code ANCLA_SOURCES} as given (e.g. gdrive:ID). */
  static Config config(Path dataDir, String sources, Map<String, String> extra) {
    var env = new HashMap<String, String>(extra);
    env.put("ANCLA_DATA_DIR", dataDir.toString());
    env.put("ANCLA_SOURCES", sources);
    var loaded = ConfigLoader.load(env, Runtime.getRuntime().availableProcessors());
    return loaded.config();
  }

  /** The real parser and the given model, as ProductionParts wires them for the bundled model. */
  static Ancla.Parts parts(Config config, Supplier<Embedder> embedder) {
    var limits = config.limits();
    return new Ancla.Parts(
        embedder,
        () ->
            new TikaDocumentParser(
                new ParseLimits(limits.maxFileBytes(), limits.maxChars(), limits.timeout())),
        Clock.systemUTC());
  }

  /** The bundled model, loaded once and shared by several runs: closing the view is a no-op. */
  static Embedder shared(OnnxEmbedder model) {
    return new Embedder() {
      @Override
      public ModelInfo info() {
        return model.info();
      }

      @Override
      public TokenCounter tokens() {
        return model.tokens();
      }

      @Override
      public float[] embed(String text) {
        return model.embed(text);
      }

      @Override
      public float[] embedQuery(String text) {
        return model.embedQuery(text);
      }

      @Override
      public void close() {}
    };
  }

  /**
   * Writes {@code n} files {@code dir/doc-i.txt}, each holding {@code textsPerFile} synthetic doc
   * texts (about 1 KB each) as paragraphs, unless the folder already holds exactly those files.
   */
  static void writeSyntheticFiles(Path dir, int n, int textsPerFile) throws IOException {
    Files.createDirectories(dir);
    try (var files = Files.list(dir)) {
      if (files.count() == n && Files.exists(dir.resolve("doc-" + (n - 1) + ".txt"))) {
        return;
      }
    }
    var corpus = SyntheticCorpus.standard();
    for (int i = 0; i < n; i++) {
      var text = new StringBuilder();
      for (int t = 0; t < textsPerFile; t++) {
        text.append(corpus.docText(i * textsPerFile + t)).append("\n\n");
      }
      Files.writeString(dir.resolve("doc-" + i + ".txt"), text, StandardCharsets.UTF_8);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
