package dev.ancla.server;

import static dev.ancla.server.TestServer.ADMIN;
import static dev.ancla.server.TestServer.API;
import static dev.ancla.server.TestServer.bearer;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/files and the pages over HTTP: what is served, with which headers, and what is not. */
class FileRoutesTest {
  @TempDir static Path dir;
  static TestServer s;

  @BeforeAll
  static void start() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(
        Files.createDirectories(docs.resolve("guías")).resolve("faro rojo.md"),
        "# Faro\n\nEl faro rojo guía a los barcos.\n");
    Files.writeString(
        docs.resolve("pagina.html"),
        "<html><body><h1>Faro</h1><script>alert(1)</script></body></html>");
    Files.writeString(dir.resolve("secreto.txt"), "fuera de la carpeta");
    var manual = new StringBuilder("# Manual del faro\n\n");
    for (int i = 1; i <= 120; i++) {
      manual.append("Paso ").append(i).append(": el farero revisa la lámpara número ");
      manual.append(i * 7 % 31).append(" y anota la hora en el cuaderno.\n\n");
    }
    Files.writeString(docs.resolve("manual.md"), manual); // large enough to be compressed
    s =
        TestServer.open(
            dir.resolve("data"), docs, "ANCLA_ADMIN_TOKEN", ADMIN, "ANCLA_API_TOKEN", API);
    s.awaitIdle(Duration.ofMinutes(2));
    Files.writeString(docs.resolve("nuevo.md"), "not indexed yet");
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void anIndexedFileIsServedInlineWithItsTypeToAHolderOfTheApiToken() {
    assertEquals(401, s.get("/api/files/docs/pagina.html").status(), "the API token is required");
    var md = s.get("/api/files/docs/gu%C3%ADas/faro%20rojo.md", bearer(API));
    assertEquals(200, md.status(), md.body());
    assertEquals(
        "text/plain;charset=utf-8",
        md.raw().headers().firstValue("Content-Type").orElseThrow().replace(" ", ""));
    assertTrue(md.body().contains("El faro rojo"));
    assertEquals(
        "inline; filename*=UTF-8''faro%20rojo.md",
        md.raw().headers().firstValue("Content-Disposition").orElseThrow());

    var html = s.get("/api/files/docs/pagina.html", bearer(ADMIN));
    assertEquals(200, html.status());
    assertTrue(
        html.raw().headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
    assertEquals(
        FileRoutes.SANDBOX,
        html.raw().headers().firstValue("Content-Security-Policy").orElseThrow(),
        "a user's HTML runs in a sandbox, never as a page of Ancla's origin");
    assertEquals(
        "nosniff", html.raw().headers().firstValue("X-Content-Type-Options").orElseThrow());
  }

  /**
   * Browsers always send {@code Accept-Encoding: gzip}; Javalin then compresses, and a
   * Content-Length of the file's own size made Jetty fail the answer (500, "written 3827 < 4071
   * content-length").
   */
  @Test
  void aFileIsServedWhenTheClientAcceptsGzip() throws Exception {
    for (String name : new String[] {"manual.md", "pagina.html"}) {
      byte[] original = Files.readAllBytes(dir.resolve("docs").resolve(name));
      var request =
          HttpRequest.newBuilder(URI.create(s.base + "/api/files/docs/" + name))
              .header("Accept-Encoding", "gzip, deflate, br")
              .header("Authorization", "Bearer " + API)
              .GET()
              .build();
      var response = s.client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, response.statusCode(), name + ": " + new String(response.body()));
      byte[] body = response.body();
      if (response.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      } else {
        assertTrue(original.length < 1_500, name + " is large enough to be compressed");
      }
      assertArrayEquals(original, body, name);
    }
    assertTrue(
        s.client
            .send(
                HttpRequest.newBuilder(URI.create(s.base + "/api/files/docs/manual.md"))
                    .header("Accept-Encoding", "gzip")
                    .header("Authorization", "Bearer " + API)
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray())
            .headers()
            .firstValue("Content-Encoding")
            .orElse("")
            .equals("gzip"),
        "a large text file is compressed");
  }

  @Test
  void pathsOutsideTheRootOrOutsideTheRegistryAreRefused() throws Exception {
    Files.createSymbolicLink(dir.resolve("docs").resolve("enlace.txt"), dir.resolve("secreto.txt"));
    for (String path :
        new String[] {
          "/api/files/docs/../secreto.txt",
          "/api/files/docs/%2e%2e/secreto.txt",
          "/api/files/docs/..%2fsecreto.txt",
          "/api/files/docs/enlace.txt",
          "/api/files/docs/nuevo.md",
          "/api/files/docs/",
          "/api/files/otra/pagina.html",
        }) {
      var request = HttpRequest.newBuilder(URI.create(s.base + path)).GET();
      var r = s.send(request, bearer(API));
      assertTrue(
          r.status() == 404 || r.status() == 400, path + " -> " + r.status() + " " + r.body());
      assertFalse(r.body().contains("fuera de la carpeta"), path);
    }
    assertTrue(s.get("/api/files/otra/x.md", bearer(API)).error().contains("the sources are docs"));
    assertTrue(
        s.get("/api/files/docs/nuevo.md", bearer(API))
            .error()
            .contains("only files listed by /api/documents"));
  }

  private static java.util.Optional<Path> served(Path root, String relative) throws Exception {
    return new dev.ancla.source.FolderSource(
            "docs", root, java.util.List.of(), java.util.List.of(), java.util.List.of())
        .served(relative);
  }

  @Test
  void filesResolveOnlyInsideTheRoot() throws Exception {
    Path root = dir.resolve("docs");
    assertTrue(served(root, "pagina.html").isPresent());
    assertTrue(served(root, "../secreto.txt").isEmpty());
    assertTrue(served(root, "guías/../../secreto.txt").isEmpty());
    assertTrue(served(root, "/etc/passwd").isEmpty());
    assertTrue(served(root, "guías").isEmpty(), "a folder is not a file");
    assertEquals("application/pdf", FileRoutes.contentType("application/pdf", "a.pdf"));
    assertEquals(
        "text/plain; charset=utf-8", FileRoutes.contentType("text/x-web-markdown", "a.md"));
    assertEquals("text/plain; charset=utf-8", FileRoutes.contentType("", "a.txt"));
  }

  @Test
  void pagesAreServedWithAStrictContentSecurityPolicy() {
    for (String path : new String[] {"/", "/chat", "/admin"}) {
      var page = s.get(path);
      assertEquals(200, page.status(), path + " needs no token: the page asks for it");
      assertTrue(
          page.raw().headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
      String csp = page.raw().headers().firstValue("Content-Security-Policy").orElseThrow();
      assertTrue(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
      assertEquals(
          "nosniff", page.raw().headers().firstValue("X-Content-Type-Options").orElseThrow());
      assertFalse(page.body().contains("<script>"), "no inline script: " + path);
      assertFalse(
          page.body().contains("http://") || page.body().contains("https://"),
          "nothing from a CDN");
    }
    var script = s.get("/static/chat.js");
    assertEquals(200, script.status());
    assertTrue(
        script.raw().headers().firstValue("Content-Type").orElseThrow().contains("javascript"));
    assertFalse(
        script.body().contains("innerHTML"), "untrusted text is never put in the page as HTML");
    // answers are Markdown: markdown-it escapes their HTML, and its output is parsed off the page
    // and
    // rebuilt from an allowlist (MarkdownAnswerBrowserTest clicks through it in Chromium)
    assertTrue(script.body().contains("html: false"), "markdown-it escapes raw HTML");
    assertFalse(s.get("/static/admin.js").body().contains("innerHTML"));
    assertFalse(s.get("/static/common.js").body().contains("innerHTML"));
    var style = s.get("/static/style.css");
    assertEquals(200, style.status());
    assertTrue(
        style.raw().headers().firstValue("Content-Type").orElseThrow().startsWith("text/css"));
    assertEquals(
        "nosniff", style.raw().headers().firstValue("X-Content-Type-Options").orElseThrow());
    assertEquals(404, s.get("/static/nothing.js").status());
  }
}
