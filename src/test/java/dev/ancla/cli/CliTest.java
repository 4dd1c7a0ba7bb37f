package dev.ancla.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.testing.TestAncla;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user runs them, on the sample documents, with the real parser and model. */
class CliTest {
  @TempDir Path dir;

  record Result(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }
  }

  private Result run(Map<String, String> env, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var context =
        new CliContext(
            env, new PrintWriter(out, true), new PrintWriter(err, true), false, TestAncla::parts);
    int exit = Main.run(context, args);
    return new Result(exit, out.toString(), err.toString());
  }

  private Map<String, String> samples() {
    return TestAncla.env(dir.resolve("data"), Path.of("samples").toAbsolutePath());
  }

  @Test
  void initBuildsTheSamplesThenOpensThemAndSearchFindsTheRightDocument() throws Exception {
    long sampleFiles;
    try (var files = Files.list(Path.of("samples"))) {
      sampleFiles = files.count();
    }
    Result first = run(samples(), "init", "--json");
    assertEquals(0, first.exit(), first.err());
    JsonNode init = first.json();
    assertEquals("created", init.get("boot").asText());
    assertEquals(sampleFiles, init.get("sync").get("added").asLong());
    assertEquals(0, init.get("sync").get("failed").asInt(), first.out());
    assertEquals(sampleFiles, init.get("documents").asLong());

    Result again = run(samples(), "init", "--json");
    assertEquals("opened", again.json().get("boot").asText());
    assertNull(again.json().get("sync"), "an existing complete index is opened, not rebuilt");

    Result search =
        run(
            samples(),
            "search",
            "--json",
            "--k",
            "3",
            "periodo de gracia de SIGTERM en App Platform");
    assertEquals(0, search.exit(), search.err());
    JsonNode results = search.json().get("results");
    assertEquals(3, results.size());
    assertEquals("despliegue-digitalocean-app-platform.docx", results.get(0).get("path").asText());
    for (String field : new String[] {"path", "chunk", "score", "text"}) {
      assertTrue(results.get(0).has(field), field);
    }

    Path queries = dir.resolve("queries.jsonl");
    Files.writeString(
        queries,
        """
        {"id": "q1", "query": "periodo de gracia de SIGTERM en App Platform", "relevant": ["despliegue-digitalocean-app-platform.docx"], "lang": "es"}
        {"id": "q2", "query": "copias de seguridad en S3", "relevant": ["copias-de-seguridad-s3.pdf"], "lang": "es"}
        """);
    Result eval =
        run(samples(), "eval", "--queries", queries.toString(), "--json", "--warmup", "0");
    assertEquals(0, eval.exit(), eval.err());
    JsonNode figures = eval.json();
    assertEquals(2, figures.get("queries").asInt());
    for (String mode : new String[] {"bm25", "vector", "hybrid"}) {
      JsonNode variant = figures.get("variants").get(mode);
      for (String metric :
          new String[] {"mrr@10", "ndcg@10", "recall@10", "recall@50", "hit@1", "p50Ms"}) {
        assertTrue(variant.has(metric), mode + " " + metric);
      }
      assertEquals(2, variant.get("byLang").get("es").get("queries").asInt());
    }
    assertEquals(1.0, figures.get("variants").get("hybrid").get("hit@10").asDouble(), eval.out());

    Result status = run(samples(), "status", "--json");
    JsonNode s = status.json();
    assertEquals(sampleFiles, s.get("documents").asLong());
    assertTrue(s.get("chunks").asLong() >= sampleFiles);
    assertEquals(0, s.get("failed").asInt());
    assertEquals("all-minilm-l6-v2-q", s.get("model").asText());
    assertEquals(384, s.get("dimension").asInt());
    assertTrue(s.get("indexBytes").asLong() > 0);
    assertEquals("complete", s.get("lastCommit").get("state").asText());

    Result sync = run(samples(), "sync", "--json");
    JsonNode report = sync.json();
    for (String field :
        new String[] {
          "added",
          "changed",
          "deleted",
          "unchanged",
          "failed",
          "chunksEmbedded",
          "chunksReused",
          "seconds"
        }) {
      assertTrue(report.has(field), field);
    }
    assertEquals(0, report.get("chunksEmbedded").asInt());
    assertEquals(sampleFiles, report.get("unchanged").asLong());
  }

  @Test
  void badConfigurationExitsWithTwoAndListsEveryProblem() {
    var env = TestAncla.env(dir.resolve("data"), dir.resolve("nope"), "ANCLA_CHUNK_TOKENS", "x");
    Result result = run(env, "status");
    assertEquals(2, result.exit());
    assertTrue(result.err().contains("ANCLA_CHUNK_TOKENS is \"x\""), result.err());
    assertTrue(result.err().contains("not a directory"), result.err());
    assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
  }

  @Test
  void searchWithoutAnIndexSaysHowToBuildOne() throws Exception {
    Files.createDirectories(dir.resolve("docs"));
    Result result = run(TestAncla.env(dir.resolve("data"), dir.resolve("docs")), "search", "hola");
    assertEquals(1, result.exit());
    assertTrue(result.err().contains("ancla init"), result.err());
  }

  @Test
  void statusWithoutAnIndexReportsZeros() throws Exception {
    Files.createDirectories(dir.resolve("docs"));
    Result result =
        run(TestAncla.env(dir.resolve("data"), dir.resolve("docs")), "status", "--json");
    assertEquals(0, result.exit(), result.err());
    assertEquals(0, result.json().get("documents").asInt());
    assertTrue(result.json().get("lastCommit").isNull());
  }

  @Test
  void evalWithoutAQueriesFileIsAUsageError() throws Exception {
    Files.createDirectories(dir.resolve("docs"));
    var env = TestAncla.env(dir.resolve("data"), dir.resolve("docs"));
    Result result = run(env, "eval", "--queries", dir.resolve("none.jsonl").toString());
    assertEquals(2, result.exit());
    assertTrue(result.err().contains("is not a file"), result.err());
  }

  @Test
  void badOptionsAreUsageErrors() throws Exception {
    Files.createDirectories(dir.resolve("docs"));
    Result result =
        run(TestAncla.env(dir.resolve("data"), dir.resolve("docs")), "search", "--k", "0", "hola");
    assertEquals(2, result.exit());
    assertTrue(result.err().contains("--k is 0"), result.err());
  }

  @Test
  void serveHasHelpAndRefusesArguments() throws Exception {
    Files.createDirectories(dir.resolve("docs"));
    var env = TestAncla.env(dir.resolve("data"), dir.resolve("docs"));
    Result help = run(env, "serve", "--help");
    assertEquals(0, help.exit(), help.err());
    assertTrue(help.out().contains("Serve the HTTP API"), help.out());
    Result extra = run(env, "serve", "now");
    assertEquals(2, extra.exit(), "serve takes no arguments: " + extra.err());
    assertFalse(Files.exists(dir.resolve("data")), "nothing was served or opened");
  }
}
