package dev.ancla.bench;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.cli.CliContext;
import dev.ancla.cli.Main;
import dev.ancla.testing.TestAncla;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT cache's training workload runs every one-shot command on a synthetic index; a command
 * that fails there would leave its classes out of the cache without anyone noticing, so the
 * training fails instead.
 */
class AotTrainCommandTest {
  @TempDir Path dir;

  @Test
  void runsTheOneShotCommandsOnASyntheticIndexAndLeavesItAsItWas() throws Exception {
    SyntheticIndex.build(dir.resolve("index"), 300, SyntheticCorpus.standard());
    long files;
    try (var list = Files.list(dir.resolve("index"))) {
      files = list.count();
    }
    var out = new StringWriter();
    var err = new StringWriter();
    var context =
        new CliContext(
            Map.of("ANCLA_LLM_URL", "http://127.0.0.1:9/never-called"),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            false,
            TestAncla::parts);
    int exit = Main.run(context, "bench", "aot-train", "--data", dir.toString());
    assertEquals(0, exit, err.toString());
    assertEquals("trained", out.toString().strip());
    try (var list = Files.list(dir.resolve("index"))) {
      assertEquals(files, list.count(), "read-only: the index is unchanged");
    }
  }
}
