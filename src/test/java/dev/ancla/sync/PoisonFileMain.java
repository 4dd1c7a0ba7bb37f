package dev.ancla.sync;

import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.ingest.parse.DocumentParser;
import dev.ancla.testing.TestAncla;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Child JVM for {@link PoisonFileTest}: syncs a folder with the real parser, except that parsing a
 * file whose name ends with the poison name appends a line to a marker file and then hangs, as a
 * process stuck on a file does until the platform kills it. Arguments: data dir, docs dir, poison
 * name, marker file. Prints the sync report's failed count on success.
 */
public final class PoisonFileMain {
  private PoisonFileMain() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    Path docs = Path.of(args[1]);
    String poison = args[2];
    Path marker = Path.of(args[3]);
    Config config = TestAncla.config(TestAncla.env(data, docs, "ANCLA_CHECKPOINT_CHUNKS", "4"));
    Ancla.Parts real = TestAncla.parts(config);
    var parts =
        new Ancla.Parts(
            real.embedder(), () -> poisoned(real.parser().get(), poison, marker), real.clock());
    try (Ancla ancla = Ancla.openForWriting(config, parts)) {
      SyncReport report = ancla.sync().sync(new ProgressTracker(System::nanoTime));
      System.out.println("failed " + report.failed());
    }
  }

  private static DocumentParser poisoned(DocumentParser parser, String poison, Path marker) {
    return (file, name) -> {
      if (name.endsWith(poison)) {
        try {
          Files.writeString(
              marker, name + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          Thread.sleep(Long.MAX_VALUE);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      return parser.parse(file, name);
    };
  }
}
