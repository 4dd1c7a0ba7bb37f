package dev.ancla.server;

import static dev.ancla.server.TestServer.ADMIN;
import static dev.ancla.server.TestServer.API;
import static dev.ancla.server.TestServer.bearer;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens: none configured, wrong, right; and CORS when configured. */
class AccessControlTest {
  @TempDir Path dir;

  private Path docs() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(
        docs.resolve("nota.md"), "# Nota\n\nEl faro guía a los barcos en la tormenta.\n");
    return docs;
  }

  @Test
  void withoutAnAdminTokenAdminOperationsAreRefusedWithHowToSetOne() throws Exception {
    try (var s = TestServer.open(dir.resolve("data"), docs())) {
      for (var r :
          new TestServer.Response[] {
            s.post("/api/sync"),
            s.post("/api/sync", bearer("anything-at-all-0123")),
            s.get("/api/documents"),
            s.post("/api/reindex"),
            s.get("/api/snapshots")
          }) {
        assertEquals(403, r.status(), r.body());
        assertTrue(r.error().contains("no ANCLA_ADMIN_TOKEN is configured"), r.body());
        assertTrue(r.error().contains("Set ANCLA_ADMIN_TOKEN"), r.body());
      }
      assertEquals(
          200, s.get("/api/search?q=faro").status(), "search stays open without an API token");
    }
  }

  @Test
  void adminOperationsNeedTheRightToken() throws Exception {
    try (var s = TestServer.open(dir.resolve("data"), docs(), "ANCLA_ADMIN_TOKEN", ADMIN)) {
      s.awaitIdle(java.time.Duration.ofMinutes(1));
      var none = s.post("/api/sync");
      assertEquals(401, none.status());
      assertTrue(none.error().contains("Authorization: Bearer <token>"), none.body());
      assertEquals(
          "Bearer realm=\"ancla\"", none.raw().headers().firstValue("WWW-Authenticate").orElse(""));
      var wrong = s.post("/api/sync", bearer(ADMIN + "x"));
      assertEquals(401, wrong.status());
      assertFalse(wrong.body().contains(ADMIN), "a token never comes back");
      assertEquals(401, s.post("/api/sync", "Authorization", "Basic " + ADMIN).status());
      assertEquals(401, s.get("/api/documents", "Authorization", "Bearer").status());

      var right = s.post("/api/sync", bearer(ADMIN));
      assertEquals(202, right.status(), right.body());
      assertTrue(right.json().path("job").path("id").asText().startsWith("sync-"));
      assertEquals(200, s.get("/api/documents", bearer(ADMIN)).status());
    }
  }

  @Test
  void anApiTokenGuardsSearchStatusAndEvents() throws Exception {
    try (var s =
        TestServer.open(
            dir.resolve("data"), docs(), "ANCLA_ADMIN_TOKEN", ADMIN, "ANCLA_API_TOKEN", API)) {
      assertEquals(401, s.get("/api/search?q=faro").status());
      assertEquals(401, s.get("/api/search?q=faro", bearer("not-the-api-token-at-all")).status());
      assertEquals(200, s.get("/api/search?q=faro", bearer(API)).status());
      assertEquals(401, s.postJson("/api/search", "{\"q\": \"faro\"}").status());
      assertEquals(200, s.postJson("/api/search", "{\"q\": \"faro\"}", bearer(API)).status());
      assertEquals(
          200, s.get("/api/search?q=faro", bearer(ADMIN)).status(), "the admin token can search");
      assertEquals(401, s.get("/api/status").status());
      assertEquals(200, s.get("/api/status", bearer(API)).status());
      assertEquals(401, s.get("/api/events", "Accept", "text/event-stream").status());
      assertEquals(
          401, s.post("/api/sync", bearer(API)).status(), "the API token is not an admin token");
      assertEquals(200, s.get("/healthz").status(), "probes need no token");
      assertEquals(200, s.get("/metrics").status());
      String everything = s.get("/api/status", bearer(API)).body() + s.get("/metrics").body();
      assertFalse(everything.contains(API) || everything.contains(ADMIN), "tokens never appear");
    }
  }

  @Test
  void corsAllowsOnlyTheConfiguredOrigins() throws Exception {
    try (var s =
        TestServer.open(
            dir.resolve("data"), docs(), "ANCLA_CORS_ORIGINS", "https://kb.example.com")) {
      var allowed = s.get("/api/search?q=faro", "Origin", "https://kb.example.com");
      assertEquals(
          "https://kb.example.com",
          allowed.raw().headers().firstValue("Access-Control-Allow-Origin").orElse(""));
      var other = s.get("/api/search?q=faro", "Origin", "https://evil.example.com");
      assertTrue(other.raw().headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }
  }
}
