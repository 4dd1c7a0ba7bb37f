package dev.ancla.server;

import static dev.ancla.server.TestServer.ADMIN;
import static dev.ancla.server.TestServer.bearer;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.testing.TestModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API on a real server (loopback, free port) over the sample documents, indexed at boot. */
class HttpApiTest {
  @TempDir static Path dir;
  static TestServer s;

  @BeforeAll
  static void bootIndexesTheSamples() throws Exception {
    s =
        TestServer.open(
            dir.resolve("data"), Path.of("samples").toAbsolutePath(), "ANCLA_ADMIN_TOKEN", ADMIN);
    JsonNode job = s.awaitIdle(Duration.ofMinutes(3));
    assertEquals("complete", job.path("state").asText(), job.toString());
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void livenessAndReadinessAnswer() {
    assertEquals(200, s.get("/healthz").status());
    var ready = s.get("/readyz");
    assertEquals(200, ready.status());
    assertTrue(ready.json().path("ready").asBoolean());
    assertTrue(ready.json().path("boot").asText().contains("created an empty one"), ready.body());
  }

  @Test
  void searchReturnsCitableChunks() {
    var r = s.get("/api/search?q=periodo+de+gracia+de+SIGTERM+en+App+Platform&k=3");
    assertEquals(200, r.status(), r.body());
    JsonNode results = r.json().path("results");
    assertEquals(3, results.size());
    assertEquals("despliegue-digitalocean-app-platform.docx", results.get(0).path("path").asText());
    for (String field :
        new String[] {"path", "source", "chunk", "score", "text", "heading", "page"}) {
      assertTrue(results.get(0).has(field), field);
    }
    assertEquals(8, s.get("/api/search?q=ancla").json().path("results").size(), "k defaults to 8");
  }

  @Test
  void filtersRestrictTheFilesThatAnswer() {
    JsonNode pdfs = s.get("/api/search?q=copias+de+seguridad&k=20&type=pdf").json().path("results");
    assertFalse(pdfs.isEmpty());
    pdfs.forEach(h -> assertTrue(h.path("path").asText().endsWith(".pdf"), h.toString()));
    assertEquals(
        pdfs, s.get("/api/search?q=copias+de+seguridad&k=20&type=.PDF").json().path("results"));

    JsonNode prefixed =
        s.get("/api/search?q=copias+de+seguridad&k=20&path=copias").json().path("results");
    assertFalse(prefixed.isEmpty());
    prefixed.forEach(h -> assertTrue(h.path("path").asText().startsWith("copias"), h.toString()));

    assertEquals(8, s.get("/api/search?q=ancla&source=samples").json().path("results").size());
    assertEquals(0, s.get("/api/search?q=ancla&source=other").json().path("results").size());
  }

  @Test
  void badParametersGet400sThatSayWhatIsAccepted() {
    assertBad("/api/search", "'q' is required", "e.g. /api/search?q=");
    assertBad("/api/search?q=+++", "'q' is blank", "e.g.");
    assertBad("/api/search?q=x&k=0", "'k' must be a whole number from 1 to 50, got \"0\"", "&k=8");
    assertBad("/api/search?q=x&k=51", "from 1 to 50, got \"51\"", "e.g.");
    assertBad("/api/search?q=x&k=ocho", "got \"ocho\"", "e.g.");
    assertBad("/api/search?q=x&kk=3", "unknown parameter 'kk'", "accepts k, path, q, source, type");
    assertBad("/api/search?q=x&k=1&k=2", "'k' is given 2 times", "e.g.");
    assertBad("/api/search?q=x&type=p%2Fdf", "'type' is \"p/df\"", "type=pdf");
    assertBad("/api/search?q=" + "a".repeat(1_001), "'q' is 1001 characters long", "at most 1000");
  }

  @Test
  void postWithQIsTheSameSearchAsGet() {
    var get = s.get("/api/search?q=periodo+de+gracia+de+SIGTERM+en+App+Platform&k=3").json();
    var post =
        s.postJson(
            "/api/search", "{\"q\": \"periodo de gracia de SIGTERM en App Platform\", \"k\": 3}");
    assertEquals(200, post.status(), post.body());
    assertEquals(get.path("query"), post.json().path("query"));
    assertEquals(get.path("results"), post.json().path("results"));
    JsonNode pdfs =
        s.postJson(
                "/api/search",
                "{\"q\": \"copias de seguridad\", \"k\": 20, \"type\": \"pdf\", \"source\":"
                    + " \"samples\"}")
            .json()
            .path("results");
    assertEquals(
        s.get("/api/search?q=copias+de+seguridad&k=20&type=pdf&source=samples")
            .json()
            .path("results"),
        pdfs);
    assertEquals(8, s.postJson("/api/search", "{\"q\": \"ancla\"}").json().path("results").size());
  }

  @Test
  void aVectorFindsTheChunkItWasEmbeddedFrom() {
    JsonNode chunks = s.get("/api/search?q=copias+de+seguridad&k=4").json().path("results");
    assertEquals(4, chunks.size());
    for (JsonNode chunk : chunks) {
      float[] vector = TestModel.shared().embed(chunk.path("text").asText());
      var r = s.postJson("/api/search", vectorBody(vector, ", \"k\": 3"));
      assertEquals(200, r.status(), r.body());
      JsonNode body = r.json();
      assertTrue(body.path("query").isNull(), body.toString());
      assertEquals(3, body.path("k").asInt());
      JsonNode first = body.path("results").get(0);
      assertEquals(chunk.path("path"), first.path("path"), first.toString());
      assertEquals(chunk.path("chunk"), first.path("chunk"), first.toString());
      assertEquals(chunk.path("text"), first.path("text"));
      assertEquals(1.0, first.path("score").asDouble(), 1e-4, "its own vector: cosine 1");
      assertEquals(3, body.path("results").size());
      assertTrue(body.path("results").get(1).path("score").asDouble() < 0.9999);

      // any length: the vector is normalized, so the ranking is the same
      float[] longer = vector.clone();
      for (int i = 0; i < longer.length; i++) {
        longer[i] *= 7.5f;
      }
      assertEquals(
          ids(body.path("results")),
          ids(s.postJson("/api/search", vectorBody(longer, ", \"k\": 3")).json().path("results")));
    }
  }

  @Test
  void aVectorSearchIsFilteredLikeAText() {
    var markdown =
        s.get("/api/search?q=copias+de+seguridad&k=1&type=md").json().path("results").get(0);
    float[] vector = TestModel.shared().embed(markdown.path("text").asText());
    JsonNode pdfs =
        s.postJson("/api/search", vectorBody(vector, ", \"k\": 5, \"type\": \"pdf\""))
            .json()
            .path("results");
    assertEquals(5, pdfs.size(), pdfs.toString());
    pdfs.forEach(h -> assertTrue(h.path("path").asText().endsWith(".pdf"), h.toString()));
    assertEquals(
        0,
        s.postJson("/api/search", vectorBody(vector, ", \"source\": \"other\""))
            .json()
            .path("results")
            .size());
  }

  @Test
  void badSearchBodiesGet400sThatSayWhatIsAccepted() {
    String unit = vectorBody(new float[384], "").replace("[0.0,", "[1.0,");
    assertBadBody("", "the body is empty", "e.g. {\"q\"");
    assertBadBody("[1]", "must be a JSON object");
    assertBadBody("{\"q\": ", "not valid JSON");
    assertBadBody("{}", "'q' or 'vector' is required", "{\"vector\": [");
    assertBadBody(unit.replace("{", "{\"q\": \"x\", "), "either 'q' or 'vector', not both");
    assertBadBody(
        "{\"q\": \"x\", \"kk\": 3}",
        "unknown field 'kk'",
        "accepts k, path, q, source, type, vector");
    assertBadBody("{\"q\": \"   \"}", "'q' is blank");
    assertBadBody("{\"q\": 7}", "'q' must be a string");
    assertBadBody("{\"q\": \"" + "a".repeat(1_001) + "\"}", "'q' is 1001 characters long");
    assertBadBody("{\"q\": \"x\", \"k\": 0}", "'k' must be a whole number from 1 to 50, got 0");
    assertBadBody(unit.replace("}", ", \"k\": 51}"), "from 1 to 50, got 51");
    assertBadBody("{\"q\": \"x\", \"k\": 2.5}", "got 2.5");
    assertBadBody("{\"q\": \"x\", \"type\": \"p/df\"}", "'type' is \"p/df\"");
    assertBadBody("{\"vector\": \"0.1, 0.2\"}", "'vector' must be a non-empty array of numbers");
    assertBadBody("{\"vector\": []}", "'vector' must be a non-empty array of numbers");
    assertBadBody("{\"vector\": [0.1, \"0.2\", 0.3]}", "'vector'[1] is \"0.2\"", "finite number");
    assertBadBody("{\"vector\": [0.1, null]}", "'vector'[1] is null");
    assertBadBody("{\"vector\": [1e39, 0.2]}", "'vector'[0] is 1.0E39", "finite number");
    assertBadBody("{\"vector\": [NaN, 0.2]}", "not valid JSON");
    assertBadBody(vectorBody(new float[384], ""), "'vector' is all zeros");
    assertBadBody(
        "{\"vector\": [0.6, 0.8]}",
        "'vector' has 2 numbers",
        "makes vectors of 384",
        "exactly 384");
    assertBadBody(
        vectorBody(new float[385], "").replace("[0.0,", "[1.0,"), "'vector' has 385 numbers");
  }

  @Test
  void postedSearchesAreCountedInTheSearchLatencyMetric() {
    double before = searchesCounted();
    s.postJson("/api/search", "{\"q\": \"ancla\"}");
    float[] vector = TestModel.shared().embed("ancla");
    assertEquals(200, s.postJson("/api/search", vectorBody(vector, "")).status());
    assertEquals(before + 2, searchesCounted(), 0.0);
  }

  private static double searchesCounted() {
    return s.get("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith("ancla_search_seconds_count"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  static String vectorBody(float[] vector, String moreFields) {
    var json = new StringBuilder("{\"vector\": [");
    for (int i = 0; i < vector.length; i++) {
      json.append(i == 0 ? "" : ",").append(vector[i]);
    }
    return json.append("]").append(moreFields).append("}").toString();
  }

  private static List<String> ids(JsonNode results) {
    var ids = new ArrayList<String>();
    results.forEach(h -> ids.add(h.path("path").asText() + "#" + h.path("chunk").asInt()));
    return ids;
  }

  private static void assertBadBody(String body, String... expected) {
    var r = s.postJson("/api/search", body);
    assertEquals(400, r.status(), body + " -> " + r.body());
    for (String part : expected) {
      assertTrue(r.error().contains(part), "\"" + r.error() + "\" should contain \"" + part + "\"");
    }
  }

  private static void assertBad(String path, String... expected) {
    var r = s.get(path);
    assertEquals(400, r.status(), path + " -> " + r.body());
    for (String part : expected) {
      assertTrue(
          r.error().contains(part),
          path + ": \"" + r.error() + "\" should contain \"" + part + "\"");
    }
  }

  @Test
  void unknownRoutesAndWrongMethodsAnswerJson() {
    var missing = s.get("/api/nothing-here");
    assertEquals(404, missing.status());
    assertTrue(missing.error().contains("no such endpoint: GET /api/nothing-here"), missing.body());
    var wrong = s.post("/api/status");
    assertEquals(405, wrong.status());
    assertTrue(wrong.error().contains("POST is not allowed"), wrong.body());
    var off = s.get("/api/snapshots", bearer(ADMIN));
    assertEquals(404, off.status(), "no ANCLA_SNAPSHOT_URL here");
    assertTrue(off.error().contains("ANCLA_SNAPSHOT_URL"), off.body());
  }

  @Test
  void requestBodiesOverTheLimitAre413() {
    var r =
        s.send(
            java.net.http.HttpRequest.newBuilder(s.base.resolve("/api/sync"))
                // the server answers 413 from the headers; without 100-continue the client may
                // still be sending the body when the server closes, and see a reset instead
                .expectContinue(true)
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "x".repeat(HttpApi.MAX_REQUEST_BYTES + 1))),
            bearer(ADMIN));
    assertEquals(413, r.status(), r.body());
    assertTrue(r.error().contains("at most 65536"), r.body());
  }

  @Test
  void statusHasTheFieldsOfStatusJsonAndTheJobs() {
    JsonNode status = s.get("/api/status").json();
    for (String field :
        new String[] {
          "documents",
          "chunks",
          "failed",
          "skipped",
          "model",
          "dimension",
          "indexBytes",
          "lastCommit",
          "dataDir",
          "failures",
          "job",
          "lastJob",
          "lastSnapshot"
        }) {
      assertTrue(status.has(field), field + " in " + status);
    }
    assertEquals(12, status.path("documents").asInt());
    assertEquals("complete", status.path("lastCommit").path("state").asText());
    assertEquals(12, status.path("lastJob").path("report").path("added").asInt());
  }

  @Test
  void documentsCanBeListedAndShownOneByOne() {
    JsonNode list = s.get("/api/documents?status=ok&limit=5", bearer(ADMIN)).json();
    assertEquals(12, list.path("total").asInt());
    assertEquals(5, list.path("documents").size());
    assertEquals(
        0, s.get("/api/documents?status=failed", bearer(ADMIN)).json().path("total").asInt());
    var bad = s.get("/api/documents?status=broken", bearer(ADMIN));
    assertEquals(400, bad.status());
    assertTrue(bad.error().contains("expected one of failed, ok, skipped"), bad.body());

    var one = s.get("/api/documents/samples/troubleshooting.md", bearer(ADMIN));
    assertEquals(200, one.status(), one.body());
    JsonNode doc = one.json();
    assertEquals("ok", doc.path("status").asText());
    assertEquals(doc.path("chunks").asInt(), doc.path("chunkList").size());
    assertEquals(0, doc.path("chunkList").get(0).path("chunk").asInt());
    assertEquals(404, s.get("/api/documents/samples/nope.md", bearer(ADMIN)).status());
  }

  @Test
  void metricsExposeIndexSearchAndJvm() {
    s.get("/api/search?q=ancla");
    var r = s.get("/metrics");
    assertEquals(200, r.status());
    assertTrue(r.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    for (String metric :
        new String[] {
          "ancla_documents 12.0",
          "ancla_chunks ",
          "ancla_documents_failed 0.0",
          "ancla_ready 1.0",
          "ancla_jobs_running 0.0",
          "ancla_search_seconds_bucket",
          "ancla_search_seconds_count",
          "ancla_sync_duration_seconds_count{outcome=\"complete\"}",
          "ancla_sync_documents_done",
          "ancla_embed_rate",
          "jvm_memory_used_bytes"
        }) {
      assertTrue(r.body().contains(metric), metric);
    }
  }

  @Test
  void eventsWithoutTheEventStreamHeaderAreRefusedWithAHint() {
    var r = s.get("/api/events");
    assertEquals(406, r.status());
    assertTrue(r.error().contains("Accept: text/event-stream"), r.body());
  }

  @Test
  void corsIsOffByDefault() {
    var r = s.get("/api/search?q=ancla", "Origin", "https://evil.example.com");
    assertEquals(200, r.status());
    assertTrue(r.raw().headers().firstValue("Access-Control-Allow-Origin").isEmpty());
  }
}
