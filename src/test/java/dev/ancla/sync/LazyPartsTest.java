package dev.ancla.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.ingest.parse.DocumentParser;
import dev.ancla.ingest.parse.ParseLimits;
import dev.ancla.ingest.parse.TikaDocumentParser;
import dev.ancla.testing.TestAncla;
import dev.ancla.testing.TestModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening an index for writing (what {@code ancla serve} does before it is ready) makes neither the
 * parser nor the model: a sync makes the parser when it first has a file to parse.
 */
class LazyPartsTest {
  @TempDir Path dir;

  @Test
  void theParserIsMadeOnlyWhenAFileIsParsed() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Path data = dir.resolve("data");
    Files.writeString(
        docs.resolve("uno.md"), "# Faros\n\nEl faro de Hércules guía a los barcos.\n");
    Config config = TestAncla.config(TestAncla.env(data, docs));
    var parsersMade = new AtomicInteger();
    var modelsMade = new AtomicInteger();
    var parts =
        new Ancla.Parts(
            () -> {
              modelsMade.incrementAndGet();
              return TestModel.shared();
            },
            () -> {
              parsersMade.incrementAndGet();
              return (DocumentParser) new TikaDocumentParser(ParseLimits.defaults());
            },
            Clock.systemUTC());

    try (Ancla ancla = Ancla.openForWriting(config, parts)) {
      assertEquals(0, parsersMade.get(), "opening makes no parser");
      assertEquals(0, modelsMade.get(), "nor the model");
      SyncReport first = ancla.sync().sync(new ProgressTracker(System::nanoTime));
      assertEquals(1, first.added());
      assertEquals(1, parsersMade.get());
      assertEquals(1, modelsMade.get());
    }
    parsersMade.set(0);
    modelsMade.set(0);
    try (Ancla ancla = Ancla.openForWriting(config, parts)) {
      SyncReport unchanged = ancla.sync().sync(new ProgressTracker(System::nanoTime));
      assertEquals(1, unchanged.unchanged());
      assertEquals(0, parsersMade.get(), "nothing to parse: no parser");
      assertEquals(
          1,
          ancla.retrieverWithoutModel().searchByVector(TestModel.shared().embed("faro"), 1).size());
      assertEquals(0, modelsMade.get(), "a search by vector needs no model");
    }
  }
}
