package dev.ancla.query;

import static dev.ancla.query.HybridRetrieverTest.chunk;
import static dev.ancla.query.HybridRetrieverTest.write;
import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config;
import dev.ancla.eval.EvalQuery;
import dev.ancla.eval.Evaluator;
import dev.ancla.eval.Metrics;
import dev.ancla.index.Analyzers;
import dev.ancla.index.IndexStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grid scores a setting exactly as {@code ancla eval} scores the same setting. */
class FusionGridTest {
  @TempDir Path dir;

  @Test
  void aSettingScoresAsTheEvaluationOfThatSettingDoes() throws Exception {
    try (var store = IndexStore.openForWriting(dir, Analyzers.forLanguage(Config.Language.ES))) {
      write(store, "gatos.txt", chunk(0, "el gato duerme en la alfombra", 1, 0));
      write(store, "formato.txt", chunk(0, "active el autoformato de la tabla", 1, 0));
      write(store, "ventas.txt", chunk(0, "informe anual de ventas", 0, 1));
      write(store, "tablas.md", chunk(0, "tablas dinámicas en la hoja de cálculo", 0.6f, 0.8f));
      store.commit(Map.of());
      var queries =
          List.of(
              query("1", "formatos de tabla", "formato.txt"),
              query("2", "felino", "gatos.txt"),
              query("3", "informe de ventas", "ventas.txt"),
              query("4", "hoja de tablas", "formato.txt"));
      var analyzer = Analyzers.forLanguage(Config.Language.ES);
      var embedder =
          Optional.<dev.ancla.embed.Embedder>of(new HybridRetrieverTest.TwoWordEmbedder());
      var retriever = new HybridRetriever(store, analyzer, embedder);
      var out = new StringWriter();
      FusionGrid.run(
          retriever,
          RetrievalSettings.DEFAULTS,
          queries,
          List.of(
              FusionGrid.Config.parse("bm25 rrf 5 1 0 0"),
              FusionGrid.Config.parse("hybrid score 5 1 1 0.1")),
          10,
          new PrintWriter(out, true),
          null);
      List<String> lines = out.toString().lines().toList();
      assertEquals(2, lines.size(), out.toString());
      // "felino" is found by vectors alone: the two settings must score differently
      assertNotEquals(lines.get(0).split("\t")[2], lines.get(1).split("\t")[2], out.toString());

      var search = Evaluator.documents(retriever);
      assertEquals(expected("bm25", search, queries, Mode.BM25), lines.get(0));
      assertEquals(expected("hybrid", search, queries, Mode.HYBRID), lines.get(1));
    }
  }

  private static EvalQuery query(String id, String text, String relevant) {
    return new EvalQuery(id, text, List.of(relevant), Optional.empty(), Optional.empty());
  }

  /** The grid's line for a mode, from the ranking the evaluation itself uses. */
  private static String expected(
      String name, Evaluator.DocumentSearch search, List<EvalQuery> queries, Mode mode)
      throws Exception {
    var scores = new ArrayList<Metrics.Scores>();
    for (EvalQuery q : queries) {
      scores.add(Metrics.score(search.rank(q.query(), mode, Evaluator.DEEP), q.relevant(), 10, 50));
    }
    Metrics.Summary m = Metrics.mean(scores);
    return String.format(
        Locale.ROOT,
        "%s\t%d\t%.4f\t%.4f\t%.4f\t%.4f",
        name,
        m.queries(),
        m.mrr(),
        m.ndcg(),
        m.recall(),
        m.deepRecall());
  }
}
