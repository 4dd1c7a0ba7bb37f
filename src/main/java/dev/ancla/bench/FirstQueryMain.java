package dev.ancla.bench;

import dev.ancla.index.IndexStore;
import dev.ancla.query.HybridRetriever;
import dev.ancla.query.SearchHit;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code bench first-query} without the CLI around it: no picocli, no logging setup. Measures the
 * floor of a cold search (JVM start, index open, kNN with text) so that the CLI's own start-up cost
 * can be told apart: {@code java ... -cp target/ancla.jar dev.ancla.bench.FirstQueryMain DATA_DIR [Q]}.
 */
public final class FirstQueryMain {
  private FirstQueryMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: FirstQueryMain DATA_DIR [QUERY_INDEX]");
      System.exit(2);
    }
    int q = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    float[] vector = SyntheticCorpus.standard().queryVector(q);
    try (var store = IndexStore.openReadOnly(Path.of(args[0]).resolve("index"))) {
      var retriever = new HybridRetriever(store, SyntheticIndex.analyzer(), Optional.empty());
      var line = new StringBuilder();
      for (SearchHit hit : retriever.searchByVector(vector, 10)) {
        line.append(line.isEmpty() ? "" : " ").append(SyntheticCorpus.docIndex(hit.path(), hit.chunk()));
      }
      System.out.println(line);
    }
  }
}
