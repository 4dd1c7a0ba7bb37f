package dev.ancla.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.testing.TestAncla;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
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
    return run(env, Main::run, args);
  }

  /** One command line through one entry point: the CLI, its fast path, or picocli alone. */
  private Result run(
      Map<String, String> env, BiFunction<CliContext, String[], Integer> entry, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var context =
        new CliContext(
            env, new PrintWriter(out, true), new PrintWriter(err, true), false, TestAncla::parts);
    int exit = entry.apply(context, args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** The exit code of the fast path, or -1 when it leaves the line to picocli. */
  private static int fastPathOnly(CliContext context, String... args) {
    return FastPath.standard().run(context, args).orElse(-1);
  }

  /** Output without the times, which differ from run to run. */
  private static String timeless(String out) {
    return out.replaceAll("\"tookMs\":\\d+", "\"tookMs\":0").replaceAll("in \\d+ ms", "in 0 ms");
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
  void oneShotCommandsRunWithoutPicocliAndAnswerAsPicocliDoes() throws Exception {
    assertEquals(0, run(samples(), "init").exit());
    List<List<String>> lines =
        List.of(
            List.of("search", "--json", "--k", "3", "periodo de gracia de SIGTERM en App Platform"),
            List.of("search", "--type", "pdf", "--json", "copias", "de", "seguridad"),
            List.of("search", "copias", "--path=preguntas", "--json"),
            List.of("search", "--json", "--source", "samples", "-k", "2", "copias"),
            List.of("search", "--json", "--source", "otra", "copias"),
            List.of("search", "-k", "2", "copias de seguridad"),
            List.of("ask", "--json", "--type", "pdf", "¿Cómo", "se", "restaura", "una", "copia?"),
            List.of("ask", "--k", "2", "¿Qué formatos admite?"),
            List.of("status", "--json"),
            List.of("status"));
    for (List<String> line : lines) {
      String[] args = line.toArray(String[]::new);
      Result fast = run(samples(), CliTest::fastPathOnly, args);
      Result picocli = run(samples(), Main::runWithPicocli, args);
      assertEquals(0, fast.exit(), line + ": " + fast.err());
      assertEquals(0, picocli.exit(), line + ": " + picocli.err());
      assertEquals(timeless(picocli.out()), timeless(fast.out()), line.toString());
    }

    JsonNode pdf = run(samples(), "search", "--json", "--type", "pdf", "copias").json();
    assertFalse(pdf.get("results").isEmpty());
    pdf.get("results")
        .forEach(r -> assertTrue(r.get("path").asText().endsWith(".pdf"), r.toString()));
    JsonNode faq = run(samples(), "search", "--json", "--path", "preguntas", "copias").json();
    assertFalse(faq.get("results").isEmpty());
    faq.get("results")
        .forEach(r -> assertTrue(r.get("path").asText().startsWith("preguntas"), r.toString()));
    JsonNode none = run(samples(), "search", "--json", "--source", "otra", "copias").json();
    assertEquals(0, none.get("results").size());
    JsonNode all = run(samples(), "search", "--json", "--source", "samples", "copias").json();
    assertEquals(5, all.get("results").size());
    assertEquals("copias", all.get("query").asText());
    assertTrue(all.has("tookMs"));
  }

  @Test
  void badOneShotLinesGetPicocliErrorsAndExitCodes() throws Exception {
    Files.createDirectories(dir.resolve("docs"));
    var env = TestAncla.env(dir.resolve("data"), dir.resolve("docs"));
    record Bad(List<String> line, int exit, String message) {}
    for (Bad bad :
        List.of(
            new Bad(List.of("search", "--k", "0", "hola"), 2, "--k is 0; expected 1 to 1000"),
            new Bad(List.of("search", "--bogus", "hola"), 2, "Unknown option: '--bogus'"),
            new Bad(List.of("search", "--jsn", "hola"), 2, "Possible solutions: --json"),
            new Bad(
                List.of("search", "--json", "--json", "hola"),
                2,
                "option '--json' should be specified only once"),
            new Bad(List.of("search", "--k", "abc", "hola"), 2, "'abc' is not an int"),
            new Bad(List.of("search"), 2, "Missing required parameter: 'QUERY'"),
            new Bad(List.of("search", "--type"), 2, "Missing required parameter for option"),
            new Bad(List.of("search", "--source", "", "hola"), 1, "the source filter is blank"),
            new Bad(List.of("ask", "--k", "21", "hola"), 2, "--k is 21; expected 1 to 20"),
            new Bad(List.of("ask", "  "), 2, "the question is empty"),
            new Bad(List.of("status", "extra"), 2, "Unmatched argument at index 1: 'extra'"))) {
      String[] args = bad.line().toArray(String[]::new);
      assertEquals(-1, run(env, CliTest::fastPathOnly, args).exit(), "fast path: " + bad);
      Result result = run(env, args);
      assertEquals(bad.exit(), result.exit(), bad + ": " + result.err());
      assertTrue(result.err().contains(bad.message()), bad + ": " + result.err());
      assertEquals("", result.out(), bad.toString());
    }

    Result help = run(env, "search", "--help");
    assertEquals(0, help.exit(), help.err());
    assertTrue(help.out().startsWith("Usage: ancla search "), help.out());
    for (String option : List.of("--json", "-k, --k=<k>", "--source=<source>", "--path=<path>")) {
      assertTrue(help.out().contains(option), option + " in " + help.out());
    }
    assertTrue(help.out().contains("Only files with this extension, e.g. pdf"), help.out());
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
