package dev.ancla.config;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config.Language;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VectorWeightsTest {
  @Test
  void oneNumberIsEveryLanguagesWeight() {
    assertEquals(VectorWeights.uniform(0.4), VectorWeights.parse(" 0.4 "));
  }

  @Test
  void weightsByLanguageAndTheRestFromOtherOrTheSmallestGiven() {
    var w = VectorWeights.parse("es=0.1, EN=0.8, other=0.3");
    assertEquals(0.1, w.of(Optional.of(Language.ES)));
    assertEquals(0.8, w.of(Optional.of(Language.EN)));
    assertEquals(0.3, w.of(Optional.empty()));
    assertEquals(new VectorWeights(0.2, 0.9, 0.2), VectorWeights.parse("es=0.2,en=0.9"));
    assertEquals(w, VectorWeights.parse(w.describe()), "describe() reads back");
  }

  @Test
  void badWeightsSayWhatIsExpected() {
    for (String bad : new String[] {"", "x", "fr=0.3", "es=", "es=-1", "es=NaN", "es=0.1;en=2"}) {
      var e = assertThrows(IllegalArgumentException.class, () -> VectorWeights.parse(bad), bad);
      assertTrue(e.getMessage().contains("e.g.") || e.getMessage().contains("expected"), bad);
    }
  }
}
