package dev.ancla.bench;

import dev.ancla.index.IndexStore;
import dev.ancla.query.HybridRetriever;
import dev.ancla.query.SearchHit;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code bench first-query} without the CLI around it: no picocli, no logging setup. Measures the
 * floor of a cold search (JVM start, index open, kNN with text) so that the CLI's own start-up cost
 * can be told apart. Takes the arguments of {@code bench first-query}, so that {@code bench
 * coldstart --launcher "java ... -cp target/ancla.jar dev.ancla.bench.FirstQueryMain"} can drive
 * it.
 */
public final class FirstQueryMain {
  private FirstQueryMain() {}

  public static void main(String[] args) throws Exception {
    String data = null;
    int q = 0;
    for (int i = 0; i + 1 < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = args[++i];
        case "--q" -> q = Integer.parseInt(args[++i]);
        default -> {} // "bench", "first-query"
      }
    }
    if (data == null) {
      System.err.println("usage: FirstQueryMain [bench first-query] --data DIR [--q Q]");
      System.exit(2);
    }
    float[] vector = SyntheticCorpus.standard().queryVector(q);
    try (var store = IndexStore.openReadOnly(Path.of(data).resolve("index"))) {
      var retriever = new HybridRetriever(store, SyntheticIndex.analyzer(), Optional.empty());
      var line = new StringBuilder();
      for (SearchHit hit : retriever.searchByVector(vector, 10)) {
        line.append(line.isEmpty() ? "" : " ")
            .append(SyntheticCorpus.docIndex(hit.path(), hit.chunk()));
      }
      System.out.println(line);
    }
  }
}
