package dev.ancla.snapshot;

import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.query.SearchHit;
import dev.ancla.sync.ProgressTracker;
import dev.ancla.testing.TestAncla;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A small real corpus, indexed with the real parser and model, for snapshot tests. */
final class Corpus {
  private Corpus() {}

  static Path write(Path docs) throws IOException {
    Files.createDirectories(docs);
    Files.writeString(
        docs.resolve("teide.md"),
        "# Teide\n\nEl Teide es un volcán de Tenerife, el pico más alto de España.");
    Files.writeString(
        docs.resolve("sigterm.md"),
        "# Despliegue\n\nApp Platform envía SIGTERM y espera 120 segundos de gracia antes de SIGKILL.");
    Files.writeString(
        docs.resolve("paella.txt"),
        "La paella valenciana lleva arroz, azafrán, pollo y judía verde.");
    return docs;
  }

  static void add(Path docs, String name, String text) throws IOException {
    Files.writeString(docs.resolve(name), text);
  }

  static Config config(Path data, Path docs, Map<String, String> snapshotEnv) {
    var env = new HashMap<>(TestAncla.env(data, docs));
    env.putAll(snapshotEnv);
    return TestAncla.config(env);
  }

  static Ancla open(Config config) throws IOException {
    return Ancla.openForWriting(config, TestAncla.parts(config));
  }

  static void sync(Ancla ancla) throws IOException {
    var report = ancla.sync().sync(new ProgressTracker(System::nanoTime));
    if (!report.complete()) {
      throw new IllegalStateException("sync incomplete: " + report);
    }
  }

  /** What a search returns, without floating-point noise in the comparison. */
  static List<String> search(Ancla ancla, String query) throws IOException {
    return ancla.retriever().search(query, 5).stream()
        .map((SearchHit h) -> h.path() + "#" + h.chunk() + ":" + h.text())
        .toList();
  }
}
