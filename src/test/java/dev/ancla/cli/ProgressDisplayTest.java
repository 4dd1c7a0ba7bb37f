package dev.ancla.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.logging.ConsoleLog;
import dev.ancla.sync.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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

  /**
   * 99 small files done in 60 s, one large file left: by documents the ETA said "0s"; by bytes it
   * is the large file's time, and it moves as the large file's chunks embed.
   */
  @Test
  void theEtaFollowsBytesAndMovesWhileALargeFileEmbeds() {
    long small = 99 * 1_000L;
    long large = 900_000L;
    var atOneMinute = indexing(99, Duration.ofSeconds(60), small + large, small);
    assertEquals("ETA 9m 05s", tail(ProgressDisplay.line(atOneMinute)));
    // chunks of the large file embedded since: a third of it in 10 more minutes
    var later = indexing(99, Duration.ofSeconds(660), small + large, small + 300_000);
    assertEquals("ETA 16m 32s", tail(ProgressDisplay.line(later)));
    // a job without bytes (a reindex) still estimates from documents
    var reindex =
        new Progress(Progress.Phase.INDEXING, 100, 99, 0, 0, 0, 0, Duration.ofSeconds(99));
    assertEquals("ETA 1s", tail(ProgressDisplay.line(reindex)));
  }

  @Test
  void aLogLineWhileTheBarIsDrawnGoesOnItsOwnLineAboveTheBar() {
    var out = new StringWriter();
    var now = new AtomicReference<>(indexing(1, Duration.ofSeconds(10), 1_000, 100));
    try (var display =
        new ProgressDisplay(now::get, new PrintWriter(out), true, ConsoleLog::redirect)) {
      display.show();
      LoggerFactory.getLogger("dev.ancla.sync.Pipeline").warn("failed malos/roto.pdf: corrupt");
      now.set(indexing(2, Duration.ofSeconds(20), 1_000, 200));
      display.show();
      List<String> screen = screen(out.toString());
      assertEquals(2, screen.size(), screen.toString());
      assertTrue(
          screen.get(0).endsWith("WARN  Pipeline - failed malos/roto.pdf: corrupt"), screen.get(0));
      assertTrue(
          screen.get(0).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"), "a whole line: " + screen);
      assertEquals(ProgressDisplay.bar(now.get()), screen.get(1));
    }
    // closed: the bar is wiped and logs go to stderr again, not to the display
    String before = out.toString();
    LoggerFactory.getLogger("dev.ancla.sync.Pipeline").warn("after the bar");
    assertEquals(before, out.toString());
    assertEquals(List.of(screen(before).getFirst()), screen(before));
  }

  private static Progress indexing(int done, Duration elapsed, long bytesTotal, long bytesDone) {
    return new Progress(
        Progress.Phase.INDEXING, 100, done, 0, 0, 10L * done, 0, elapsed, bytesTotal, bytesDone);
  }

  private static String tail(String line) {
    return line.substring(line.indexOf("ETA "));
  }

  /** The lines a terminal shows for {@code text}: \r returns, ESC[K erases to the end of line. */
  private static List<String> screen(String text) {
    var lines = new ArrayList<StringBuilder>(List.of(new StringBuilder()));
    int column = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      StringBuilder line = lines.getLast();
      if (c == '\r') {
        column = 0;
      } else if (c == '\n') {
        lines.add(new StringBuilder());
        column = 0;
      } else if (c == '\u001b' && text.startsWith("[K", i + 1)) {
        line.setLength(column);
        i += 2;
      } else {
        if (column < line.length()) line.setCharAt(column, c);
        else line.append(c);
        column++;
      }
    }
    return lines.stream().map(StringBuilder::toString).filter(l -> !l.isEmpty()).toList();
  }
}
