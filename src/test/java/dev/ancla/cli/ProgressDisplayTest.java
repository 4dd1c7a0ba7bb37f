package dev.ancla.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.sync.Progress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
  @Test
  void aLineHasCountsRatesAndEta() {
    var p =
        new Progress(
            Progress.Phase.INDEXING, 13_457, 1_000, 3, 0, 4_000, 500, Duration.ofSeconds(100));
    assertEquals(
        "1,000/13,457 documents (7.4%), 4,000 chunks embedded (40.0/s), 500 reused, 3 failed, ETA 20m 45s",
        ProgressDisplay.line(p));
    assertTrue(ProgressDisplay.bar(p).startsWith("[##----"), ProgressDisplay.bar(p));
  }

  @Test
  void noEtaBeforeTheFirstDocument() {
    var p = new Progress(Progress.Phase.INDEXING, 10, 0, 0, 0, 0, 0, Duration.ofSeconds(3));
    assertTrue(ProgressDisplay.line(p).endsWith("ETA --"));
    assertEquals("2h 05m", ProgressDisplay.duration(Duration.ofMinutes(125)));
  }
}
