package dev.ancla.server;

import static dev.ancla.server.TestServer.ADMIN;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.bench.drive.FakeDrive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin page shows what a Drive listing left out and why (a shortcut loop, a dangling
 * shortcut), from /api/status, in a real headless Chromium against a server syncing a local Drive
 * server through the real client.
 */
class DriveStatusBrowserTest {
  @TempDir Path dir;

  @Test
  void theAdminPageShowsTheItemsADriveListingLeftOutAndWhy() throws Exception {
    try (var drive = new FakeDrive();
        var browser = Chromium.launch(dir.resolve("chromium"))) {
      FakeDrive.Node root = drive.folder("Equipo", null);
      drive.share(root.id);
      FakeDrive.Node sub = drive.folder("Proyectos", root.id);
      drive.file(
          "faro.txt",
          sub.id,
          "text/plain",
          "El faro de Finisterre guía a los barcos.".getBytes(StandardCharsets.UTF_8));
      drive.shortcut("bucle", sub.id, root);
      drive.danglingShortcut("roto", sub.id);
      try (var server =
          TestServer.open(
              dir.resolve("data"),
              dir,
              "ANCLA_SOURCES",
              "gdrive:" + root.id,
              "ANCLA_DRIVE_CREDENTIALS",
              drive.serviceAccountJson(),
              "ANCLA_DRIVE_API_URL",
              drive.url().toString(),
              "ANCLA_DRIVE_REQUESTS_PER_SECOND",
              "1000",
              "ANCLA_ADMIN_TOKEN",
              ADMIN)) {
        JsonNode job = server.awaitIdle(Duration.ofMinutes(2));
        assertEquals("complete", job.path("state").asText(), job.toString());

        browser.open(server.base.resolve("/admin"));
        browser.waitFor(
            "!document.getElementById('login').hidden", Duration.ofSeconds(10), "the token form");
        browser.type("#token", ADMIN);
        browser.pressEnter();
        browser.waitFor(
            "document.querySelector('#sources details.listing-skips') !== null",
            Duration.ofSeconds(10),
            "the listing's skips under the Drive source");
        String summary =
            browser.text(
                "document.querySelector('#sources details.listing-skips summary').textContent");
        assertTrue(summary.startsWith("2 "), summary);
        List<String> reasons =
            List.of(
                browser
                    .text(
                        "[...document.querySelectorAll('#sources details.listing-skips li')]"
                            + ".map((li) => li.textContent).join('\\n')")
                    .split("\n"));
        assertEquals(2, reasons.size(), reasons.toString());
        assertTrue(reasons.stream().anyMatch(r -> r.contains("bucle")), reasons.toString());
        assertTrue(reasons.stream().anyMatch(r -> r.contains("roto")), reasons.toString());
        assertEquals(
            List.of(), browser.problems.stream().filter(p -> !p.startsWith("network:")).toList());
      }
    }
  }
}
