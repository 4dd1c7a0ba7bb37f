package dev.ancla.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The check values of the ChromaDB baseline's README: same data, bit for bit. */
class SyntheticCorpusTest {

  @Test
  void matchesTheBaselineCheckValuesAt13457Docs() {
    var checks = SyntheticCorpus.standard().checks(13457);
    assertEquals("0x4a8c2d3f", SyntheticCorpus.hex(checks.docVectorsHash()));
    assertEquals("0xc73b5352", SyntheticCorpus.hex(checks.queryVectorsHash()));
    assertEquals("0x32076abe", SyntheticCorpus.hex(checks.textsHash()));
  }

  @Test
  void docZeroStartsWithTheBaselineBits() {
    float[] v = SyntheticCorpus.standard().docVector(0);
    int[] expected = {0xbd358f4f, 0x3b838a65, 0xbcb01a3e, 0xbd98e746};
    for (int d = 0; d < 4; d++) {
      assertEquals(
          SyntheticCorpus.hex(expected[d]), SyntheticCorpus.hex(Float.floatToRawIntBits(v[d])));
    }
  }

  @Test
  void docIndexInvertsFileOf() {
    assertEquals("src-3.txt", SyntheticCorpus.fileOf(63));
    assertEquals(63, SyntheticCorpus.docIndex("src-3.txt", 15));
    assertEquals(13456, SyntheticCorpus.docIndex(SyntheticCorpus.fileOf(13456), 13456 % 16));
  }
}
