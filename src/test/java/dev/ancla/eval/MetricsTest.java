package dev.ancla.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hand-made rankings whose scores are worked out in the comments. */
class MetricsTest {
  private static final double EPS = 1e-9;
  private static final double LOG2_3 = Math.log(3) / Math.log(2);

  @Test
  void oneRelevantDocumentAtRankTwo() {
    var s = Metrics.score(List.of("a", "b", "c"), Set.of("b"), 10, 50);
    assertEquals(0.5, s.reciprocalRank(), EPS);
    assertEquals(1 / LOG2_3, s.ndcg(), EPS); // 0.6309: gain at rank 2 over the ideal 1
    assertEquals(1, s.recall(), EPS);
    assertEquals(1, s.deepRecall(), EPS);
    assertEquals(0, s.hitAt1(), EPS);
    assertEquals(1, s.hit(), EPS);
  }

  @Test
  void twoRelevantDocumentsAtRanksOneAndThree() {
    var s = Metrics.score(List.of("a", "b", "c"), Set.of("a", "c"), 10, 50);
    assertEquals(1, s.reciprocalRank(), EPS);
    // DCG 1 + 1/log2(4) = 1.5; ideal 1 + 1/log2(3) = 1.6309
    assertEquals(1.5 / (1 + 1 / LOG2_3), s.ndcg(), EPS);
    assertEquals(0.9197, s.ndcg(), 1e-4);
    assertEquals(1, s.recall(), EPS);
    assertEquals(1, s.hitAt1(), EPS);
  }

  @Test
  void halfOfTheRelevantDocumentsFound() {
    var s = Metrics.score(List.of("a", "b"), Set.of("a", "z"), 10, 50);
    assertEquals(1, s.reciprocalRank(), EPS);
    assertEquals(1 / (1 + 1 / LOG2_3), s.ndcg(), EPS); // 0.6131
    assertEquals(0.5, s.recall(), EPS);
    assertEquals(0.5, s.deepRecall(), EPS);
  }

  @Test
  void aDocumentBeyondTheCutOffCountsOnlyForDeepRecall() {
    var s = Metrics.score(List.of("a", "b", "c"), Set.of("c"), 2, 3);
    assertEquals(new Metrics.Scores(0, 0, 0, 1, 0, 0), s);
  }

  @Test
  void nothingFoundScoresZero() {
    assertEquals(
        new Metrics.Scores(0, 0, 0, 0, 0, 0),
        Metrics.score(List.of("a", "b"), Set.of("x"), 10, 50));
    assertEquals(
        new Metrics.Scores(0, 0, 0, 0, 0, 0), Metrics.score(List.of(), Set.of("x"), 10, 50));
  }

  @Test
  void theIdealDcgStopsAtTheCutOff() {
    // 3 relevant, k = 2, both top documents relevant: a perfect top 2 scores nDCG 1, recall 2/3
    var s = Metrics.score(List.of("a", "b", "c"), Set.of("a", "b", "c"), 2, 3);
    assertEquals(1, s.ndcg(), EPS);
    assertEquals(2.0 / 3, s.recall(), EPS);
    assertEquals(1, s.deepRecall(), EPS);
  }

  @Test
  void meansAreOverAllQueries() {
    var first = Metrics.score(List.of("a"), Set.of("a"), 10, 50); // rr 1
    var second = Metrics.score(List.of("a", "b"), Set.of("b"), 10, 50); // rr 0.5
    var third = Metrics.score(List.of("a"), Set.of("z"), 10, 50); // rr 0
    var mean = Metrics.mean(List.of(first, second, third));
    assertEquals(3, mean.queries());
    assertEquals(0.5, mean.mrr(), EPS);
    assertEquals((1 + 1 / LOG2_3) / 3, mean.ndcg(), EPS);
    assertEquals(2.0 / 3, mean.recall(), EPS);
    assertEquals(1.0 / 3, mean.hitAt1(), EPS);
    assertEquals(2.0 / 3, mean.hit(), EPS);
    assertEquals(0, Metrics.mean(List.of()).mrr());
  }

  @Test
  void misuseIsRefusedWithTheReason() {
    var repeated =
        assertThrows(
            IllegalArgumentException.class,
            () -> Metrics.score(List.of("a", "a"), Set.of("a"), 10, 50));
    assertTrue(repeated.getMessage().contains("repeats a document"), repeated.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Metrics.score(List.of("a"), Set.of(), 10, 50));
    assertThrows(
        IllegalArgumentException.class, () -> Metrics.score(List.of("a"), Set.of("a"), 10, 5));
  }
}
