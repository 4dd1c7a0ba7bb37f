package dev.ancla.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.testing.TestAncla;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ancla ask} on the sample documents, without a language model. */
class AskCommandTest {
  @TempDir Path dir;

  private String[] run(Map<String, String> env, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var context =
        new CliContext(
            env, new PrintWriter(out, true), new PrintWriter(err, true), false, TestAncla::parts);
    int exit = Main.run(context, args);
    return new String[] {String.valueOf(exit), out.toString(), err.toString()};
  }

  @Test
  void answersWithNumberedSourcesAndAsJson() throws Exception {
    var env = TestAncla.env(dir.resolve("data"), Path.of("samples").toAbsolutePath());
    assertEquals("0", run(env, "init")[0]);

    String[] text =
        run(
            env,
            "ask",
            "¿Cuántos",
            "segundos",
            "de",
            "gracia",
            "da",
            "App",
            "Platform",
            "tras",
            "SIGTERM?");
    assertEquals("0", text[0], text[2]);
    assertTrue(text[1].contains("[1]"), text[1]);
    assertTrue(text[1].contains("\nSources:\n[1] "), text[1]);

    String[] json =
        run(env, "ask", "--json", "--k", "3", "¿Qué", "formatos", "de", "documento", "admite?");
    assertEquals("0", json[0], json[2]);
    JsonNode answer = new ObjectMapper().readTree(json[1]);
    assertEquals("extractive", answer.path("mode").asText());
    assertFalse(answer.path("citations").isEmpty(), json[1]);
    for (String field : new String[] {"n", "path", "chunk", "page", "source"}) {
      assertTrue(answer.path("citations").get(0).has(field), field);
    }

    String[] bad = run(env, "ask", "--k", "21", "x");
    assertNotEquals("0", bad[0]);
    assertTrue(bad[2].contains("--k is 21"), bad[2]);
  }
}
