package dev.ancla.query;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.index.Ranked;
import java.util.List;
import org.junit.jupiter.api.Test;

class FusionTest {
  private static List<Ranked> list(int... docs) {
    return java.util.Arrays.stream(docs).mapToObj(d -> new Ranked(d, 10f - d)).toList();
  }

  private static List<Integer> docs(List<Ranked> fused) {
    return fused.stream().map(Ranked::doc).toList();
  }

  @Test
  void weightsDecideBetweenTwoListsThatDisagree() {
    var lexical = list(3, 4);
    var semantic = list(4, 3);
    // equal weights tie (1/61 + 1/62 each); the lower doc id wins the tie
    assertEquals(
        List.of(3, 4),
        docs(Fusion.fuse(List.of(lexical, semantic), new double[] {1, 1}, Fusion.Method.RRF, 60)));
    assertEquals(
        List.of(4, 3),
        docs(Fusion.fuse(List.of(lexical, semantic), new double[] {1, 2}, Fusion.Method.RRF, 60)));
    List<Ranked> weighted =
        Fusion.fuse(List.of(lexical, semantic), new double[] {1, 0.5}, Fusion.Method.RRF, 10);
    assertEquals(List.of(3, 4), docs(weighted));
    assertEquals(1.0 / 11 + 0.5 / 12, weighted.getFirst().score(), 1e-6);
  }

  @Test
  void scoreFusionScalesEachListToZeroOne() {
    var lexical = List.of(new Ranked(3, 20f), new Ranked(4, 10f), new Ranked(1, 0f));
    var semantic = List.of(new Ranked(4, 0.9f), new Ranked(3, 0.5f), new Ranked(1, 0.1f));
    List<Ranked> fused =
        Fusion.fuse(List.of(lexical, semantic), new double[] {1, 1}, Fusion.Method.SCORE, 60);
    // 3: 1 + 0.5, 4: 0.5 + 1, 1: 0 + 0 -> tie between 3 and 4 broken by id
    assertEquals(List.of(3, 4, 1), docs(fused));
    assertEquals(1.5, fused.getFirst().score(), 1e-6);
    assertEquals(0, fused.get(2).score(), 1e-6);
  }

  @Test
  void aWeightPerRankingIsRequired() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Fusion.fuse(List.of(list(1)), new double[] {1, 1}, Fusion.Method.RRF, 60));
  }
}
