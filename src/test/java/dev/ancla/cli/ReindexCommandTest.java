package dev.ancla.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.embed.Embedder;
import dev.ancla.testing.TestAncla;
import dev.ancla.testing.TestModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ancla reindex} on the samples, with the bundled model and with another real one. */
class ReindexCommandTest {
  @TempDir Path dir;

  record Result(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }
  }

  private Result run(Supplier<Embedder> model, String... args) {
    Map<String, String> env = TestAncla.env(dir.resolve("data"), dir.resolve("docs"));
    var out = new StringWriter();
    var err = new StringWriter();
    var context =
        new CliContext(
            env,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            false,
            (Config c) -> {
              var parts = TestAncla.parts(c);
              return new Ancla.Parts(model, parts.parser(), parts.clock());
            });
    int exit = Main.run(context, args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void reindexesAfterAModelChangeAndSaysSoWhenThereIsNothingToDo() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    try (var samples = Files.list(Path.of("samples"))) {
      for (Path sample : samples.toList()) {
        Files.copy(sample, docs.resolve(sample.getFileName()));
      }
    }
    assertEquals(0, run(TestModel::shared, "init").exit());

    Result same = run(TestModel::shared, "reindex");
    assertEquals(0, same.exit(), same.err());
    assertTrue(same.out().contains("already embedded with the configured model"), same.out());
    assertTrue(run(TestModel::shared, "reindex", "--json").json().get("upToDate").asBoolean());

    Files.writeString(docs.resolve("nuevo.txt"), "Un documento nuevo sobre copias de seguridad.");
    Result mismatch = run(TestModel::other, "sync");
    assertEquals(1, mismatch.exit());
    assertTrue(mismatch.err().contains("ancla reindex"), mismatch.err());

    Result changed = run(TestModel::other, "reindex", "--json");
    assertEquals(0, changed.exit(), changed.err());
    JsonNode report = changed.json();
    assertFalse(report.get("upToDate").asBoolean());
    assertTrue(report.get("complete").asBoolean(), changed.out());
    assertTrue(report.get("chunksEmbedded").asLong() > 0, changed.out());
    assertEquals(
        run(TestModel::other, "status", "--json").json().get("chunks").asLong(),
        report.get("chunksEmbedded").asLong() + report.get("chunksReused").asLong());

    Result nowInStep = run(TestModel::other, "sync", "--json");
    assertEquals(0, nowInStep.exit(), nowInStep.err());
    assertEquals(1, nowInStep.json().get("added").asLong(), nowInStep.out());
    assertEquals(0, run(TestModel::other, "sync", "--json").json().get("chunksEmbedded").asLong());
  }
}
