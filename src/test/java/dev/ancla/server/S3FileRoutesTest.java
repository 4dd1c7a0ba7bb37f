package dev.ancla.server;

import static dev.ancla.server.TestServer.ADMIN;
import static dev.ancla.server.TestServer.API;
import static dev.ancla.server.TestServer.bearer;
import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.snapshot.S3Fixture;
import dev.ancla.source.s3.TestBucket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The originals of a private bucket's objects are streamed through Ancla with the same sandbox
 * headers as a folder's files, and only when indexed; /api/status shows each source.
 */
class S3FileRoutesTest {
  @RegisterExtension final S3ProxyExtension proxy = S3Fixture.newProxy();
  @TempDir Path dir;

  @Test
  void anIndexedObjectIsStreamedThroughAnclaInASandboxAndStatusShowsEachSource() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(docs.resolve("faros.md"), "# Faros\n\nEl faro de Finisterre guía barcos.");
    try (var bucket = new TestBucket(proxy, "team-docs", "web")) {
      bucket.put(
          "guías/página.html",
          "<html><body><h1>Volcanes</h1><p>El Teide es el pico más alto de España.</p>"
              + "<script>alert(1)</script></body></html>");
      var pairs =
          new ArrayList<>(
              List.of(
                  "ANCLA_SOURCES",
                  docs + "," + bucket.url(),
                  "ANCLA_ADMIN_TOKEN",
                  ADMIN,
                  "ANCLA_API_TOKEN",
                  API));
      pairs.addAll(bucket.env());
      try (var s = TestServer.open(dir.resolve("data"), docs, pairs.toArray(String[]::new))) {
        s.awaitIdle(Duration.ofMinutes(2));
        bucket.put("nuevo.txt", "not indexed yet");

        var html = s.get("/api/files/web/gu%C3%ADas/p%C3%A1gina.html", bearer(API));
        assertEquals(200, html.status(), html.body());
        assertTrue(html.body().contains("El Teide"));
        assertEquals(
            FileRoutes.SANDBOX,
            html.raw().headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals(
            "inline; filename*=UTF-8''p%C3%A1gina.html",
            html.raw().headers().firstValue("Content-Disposition").orElseThrow());
        assertEquals(401, s.get("/api/files/web/gu%C3%ADas/p%C3%A1gina.html").status());
        assertEquals(404, s.get("/api/files/web/nuevo.txt", bearer(API)).status());
        assertEquals(404, s.get("/api/files/web/../docs/faros.md", bearer(API)).status());

        var status = s.get("/api/status", bearer(ADMIN)).json();
        var sources = status.path("sources");
        assertEquals(2, sources.size(), status.toString());
        var web = sources.get(1);
        assertEquals("web", web.path("id").asText());
        assertEquals("s3", web.path("kind").asText());
        assertEquals("s3://team-docs/web", web.path("root").asText());
        assertEquals(1, web.path("listed").asInt());
        assertEquals(1, web.path("indexed").asInt());
        assertFalse(web.path("lastSync").isMissingNode() || web.path("lastSync").isNull());
        assertEquals("folder", sources.get(0).path("kind").asText());
      }
    }
  }
}
