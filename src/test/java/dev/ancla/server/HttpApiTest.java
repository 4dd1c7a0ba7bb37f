package dev.ancla.server;

import static dev.ancla.server.TestServer.ADMIN;
import static dev.ancla.server.TestServer.bearer;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
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
    var wrong = s.post("/api/search?q=x");
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
