package dev.ancla.ingest.parse;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parsing in child JVMs: the same documents and failures as in process; a stuck parse ends with its
 * process killed (no CPU left busy), a crashing one fails its file, and the next file gets a fresh
 * process.
 */
class ForkedDocumentParserTest {
  @TempDir Path dir;

  private static final ParseLimits LIMITS =
      new ParseLimits(64L << 20, 100_000, Duration.ofSeconds(60));

  /** Short, for the stuck parse; long enough for a first parse on a loaded machine. */
  private static final ParseLimits SHORT =
      new ParseLimits(64L << 20, 100_000, Duration.ofSeconds(8));

  @Test
  void documentsAndFailuresAreTheSameAsInProcess() throws Exception {
    Path docx = Fixtures.docx(dir);
    Path locked = Fixtures.encryptedPdf(dir);
    var local = new TikaDocumentParser(LIMITS);
    try (var forked = new ForkedDocumentParser(LIMITS)) {
      assertEquals(local.parse(docx, "a.docx"), forked.parse(docx, "a.docx"));
      var failure = assertThrows(ParseFailure.class, () -> forked.parse(locked, "locked.pdf"));
      assertEquals(ParseFailure.Kind.ENCRYPTED, failure.kind());
      assertEquals(
          assertThrows(ParseFailure.class, () -> local.parse(locked, "locked.pdf")).getMessage(),
          failure.getMessage());
      assertEquals(1, parserProcesses().size(), "one process, reused: " + parserProcesses());
    }
  }

  @Test
  void aStuckParseIsKilledWithItsProcessAndACrashFailsOnlyItsFile() throws Exception {
    Path text = Files.writeString(dir.resolve("texto.txt"), "Hola, mundo del ñandú.");
    try (var forked = new ForkedDocumentParser(SHORT, MisbehavingParserMain.class.getName())) {
      assertEquals(
          "Hola, mundo del ñandú.", forked.parse(text, "ok.txt").blocks().getFirst().text());
      List<ProcessHandle> before = parserProcesses();
      assertEquals(1, before.size());

      long start = System.nanoTime();
      var stuck = assertThrows(ParseFailure.class, () -> forked.parse(text, "spin.txt"));
      assertEquals(ParseFailure.Kind.TIMEOUT, stuck.kind());
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(15).toNanos());
      before.getFirst().onExit().get(); // killed: it burns no CPU any more
      assertFalse(before.getFirst().isAlive());

      var crashed = assertThrows(ParseFailure.class, () -> forked.parse(text, "die.txt"));
      assertEquals(ParseFailure.Kind.CORRUPT, crashed.kind());
      assertTrue(crashed.getMessage().contains("exit 134"), crashed.getMessage());

      assertEquals(
          "Hola, mundo del ñandú.", forked.parse(text, "ok.txt").blocks().getFirst().text());
    }
  }

  /** Children of this JVM from before the test: not parser processes. */
  private final java.util.Set<Long> others =
      ProcessHandle.current()
          .children()
          .map(ProcessHandle::pid)
          .collect(java.util.stream.Collectors.toSet());

  /** This JVM's parser processes that are alive: the children it started since. */
  private List<ProcessHandle> parserProcesses() {
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .filter(p -> !others.contains(p.pid()))
        .toList();
  }
}
