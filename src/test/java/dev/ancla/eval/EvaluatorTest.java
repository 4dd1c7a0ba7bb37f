package dev.ancla.eval;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.query.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {
  @TempDir Path dir;

  private static EvalQuery query(String id, String lang, String... relevant) {
    return new EvalQuery(id, id, List.of(relevant), Optional.ofNullable(lang), Optional.empty());
  }

  /** BM25 finds every query's document first; vectors find it second; hybrid never. */
  private static List<String> rank(String query, Mode mode, int depth) {
    String target = "doc-" + query + ".html";
    return switch (mode) {
      case BM25 -> List.of(target, "other.md");
      case VECTOR -> List.of("other.md", target);
      case HYBRID, NGRAM -> List.of("other.md");
    };
  }

  @Test
  void eachModeIsScoredOverallAndPerSlice() throws Exception {
    var queries =
        List.of(
            query("q1", "es", "doc-q1.html"),
            query("q2", "es", "doc-q2.html"),
            query("q3", "en", "doc-q3.md"));
    var clock = new AtomicLong();
    // every search takes 2 ms on this clock
    Evaluator.DocumentSearch timed =
        (q, mode, depth) -> {
          clock.addAndGet(2_000_000);
          return rank(q, mode, depth);
        };
    EvalReport report =
        new Evaluator(timed, clock::get).run(queries, List.of(Mode.values()), 10, 0, _ -> {});

    assertEquals(3, report.queries());
    var bm25 = report.variants().get(Mode.BM25);
    assertEquals(2.0 / 3, bm25.overall().mrr(), 1e-9); // q3's relevant page is the .md
    assertEquals(2.0, bm25.p50Millis(), 1e-9);
    var vector = report.variants().get(Mode.VECTOR).overall();
    assertEquals(1.0 / 3, vector.mrr(), 1e-9); // 0.5, 0.5, 0
    assertEquals(0, vector.hitAt1(), 1e-9);
    assertEquals(2.0 / 3, vector.recall(), 1e-9);
    assertEquals(0, report.variants().get(Mode.HYBRID).overall().hit(), 1e-9);
    var formats = bm25.slices().get("format");
    assertEquals(2, formats.get("html").queries());
    assertEquals(1, formats.get("html").mrr(), 1e-9);
    assertEquals(0, formats.get("md").mrr(), 1e-9);
    assertEquals(1, bm25.slices().get("lang").get("en").queries());
    assertFalse(bm25.slices().containsKey("app"), "no query has an app");

    @SuppressWarnings("unchecked")
    var json =
        (Map<String, Object>) ((Map<String, Object>) report.toMap().get("variants")).get("bm25");
    assertEquals(0.6667, json.get("mrr@10"));
    for (String key :
        new String[] {"mrr@10", "ndcg@10", "recall@10", "recall@50", "hit@1", "p50Ms"}) {
      assertTrue(json.containsKey(key), key);
    }
  }

  @Test
  void queriesAreReadFromJsonLinesAndABadLineIsNamed() throws Exception {
    Path file = dir.resolve("q.jsonl");
    Files.writeString(
        file,
        """
        {"id": "p1", "query": "imágenes; recorte", "relevant": ["es/a.html", "es/b.DOCX"], "lang": "es", "app": "SHARED"}

        {"query": "sin id", "relevant": ["c.md"]}
        """);
    List<EvalQuery> queries = EvalQuery.read(file);
    assertEquals(2, queries.size());
    assertEquals("imágenes; recorte", queries.get(0).query());
    assertEquals("mixed", queries.get(0).format());
    assertEquals(Optional.of("SHARED"), queries.get(0).app());
    assertEquals("md", queries.get(1).format());
    assertEquals(Optional.empty(), queries.get(1).lang());

    Files.writeString(
        file,
        "{\"id\": \"p1\", \"query\": \"x\", \"relevant\": [\"a\"]}\n{\"id\": \"p2\", \"query\": \"y\"}\n");
    var e = assertThrows(IllegalArgumentException.class, () -> EvalQuery.read(file));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void percentilesUseTheNearestRank() {
    long[] nanos = {5_000_000, 1_000_000, 3_000_000, 2_000_000, 4_000_000};
    assertEquals(3.0, Evaluator.percentileMillis(nanos, 50), 1e-9);
    assertEquals(5.0, Evaluator.percentileMillis(nanos, 95), 1e-9);
  }
}
