package dev.ancla.server;

import static dev.ancla.server.TestServer.ADMIN;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat and admin pages in a real headless Chromium against a real server over the samples, plus
 * one document that tries to inject markup. Screenshots go to target/screenshots/ (copied by hand
 * to docs/ when the pages change).
 */
class PagesBrowserTest {
  static final String XSS =
      "Nota de seguridad sobre el faro rojo: <script>window.__xss=1</script>"
          + "<img src=x onerror=\"window.__xss=1\"> el faro rojo no ejecuta marcas.";
  static final Path SHOTS = Path.of("target", "screenshots");

  @TempDir static Path dir;
  static TestServer s;
  static Chromium browser;

  @BeforeAll
  static void start() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    try (Stream<Path> samples = Files.list(Path.of("samples"))) {
      for (Path sample : samples.toList()) {
        Files.copy(sample, docs.resolve(sample.getFileName()));
      }
    }
    Files.writeString(docs.resolve("nota-faro-rojo.txt"), XSS + "\n");
    browser = Chromium.launch(dir.resolve("chromium"));
    s = TestServer.open(dir.resolve("data"), docs, "ANCLA_ADMIN_TOKEN", ADMIN);
    JsonNode job = s.awaitIdle(Duration.ofMinutes(3));
    assertEquals("complete", job.path("state").asText(), job.toString());
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.close();
    if (s != null) s.close();
  }

  @BeforeEach
  void clearProblems() {
    browser.problems.clear();
  }

  @Test
  void theChatPageAnswersAQuestionWithACitationThatLinksToTheSource() throws Exception {
    browser.open(s.base.resolve("/"));
    assertEquals(
        "Pregunta",
        browser.text("document.querySelector('label[for=question]').textContent"),
        "Spanish by default");
    browser.type("#question", "¿cuánto dura el periodo de gracia de SIGTERM en App Platform?");
    browser.pressEnter(); // the keyboard submits
    browser.waitFor(
        "document.querySelector('.turn[aria-busy=false] .answer a.cite')",
        Duration.ofSeconds(60),
        "an answer with a citation marker");

    String answer = browser.text("document.querySelector('.turn .answer').textContent");
    assertTrue(answer.length() > 20, answer);
    String citeTarget =
        browser.text("document.querySelector('.answer a.cite').getAttribute('href')");
    assertTrue(
        browser.eval("!!document.querySelector(" + q(citeTarget) + ")").asBoolean(),
        "the marker " + citeTarget + " points at a listed citation");
    String fileHref =
        browser.text("document.querySelector('.citations a.file').getAttribute('href')");
    assertTrue(fileHref.startsWith("/api/files/docs/"), fileHref);
    List<String> cited = new ArrayList<>();
    browser
        .eval("[...document.querySelectorAll('.citations a.file')].map(a => a.textContent)")
        .forEach(n -> cited.add(n.asText()));
    assertTrue(cited.contains("despliegue-digitalocean-app-platform.docx"), cited.toString());
    var file = s.get(fileHref.split("#")[0]);
    assertEquals(200, file.status(), "the citation's link serves the document");
    assertEquals(List.of(), scriptProblems());
    browser.screenshot(SHOTS.resolve("chat.png"));
  }

  /**
   * A person clicks each kind of citation and the browser shows the file: Markdown and text as
   * text, HTML in a sandbox (no script of the file runs, in an origin of its own), a PDF in the
   * browser's viewer at the cited page. Every file is larger than Javalin's compression threshold:
   * the browser sends Accept-Encoding: gzip, and that once made every file link answer 500.
   */
  @Test
  void clickingACitationShowsTheFileInTheBrowser() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("cited-docs"));
    Files.writeString(docs.resolve("faro.md"), sentences("# Manual del faro\n\n", FARO));
    Files.writeString(docs.resolve("mareas.txt"), sentences("TABLA DE MAREAS\n\n", MAREAS));
    Files.writeString(
        docs.resolve("volcanes.html"),
        "<!doctype html><html><head><title>Volcanes</title></head><body><h1>Volcanes</h1>"
            + "<script>document.title = 'script ejecutado'</script><p>"
            + sentences("", VOLCANES)
            + "</p></body></html>");
    twoPagePdf(docs.resolve("informe.pdf"));
    try (var files = TestServer.open(dir.resolve("cited-data"), docs)) {
      assertEquals("complete", files.awaitIdle(Duration.ofMinutes(1)).path("state").asText());

      clickCitation(files, "¿Qué revisa el farero en la lámpara del faro?", "faro.md");
      assertEquals("text/plain", browser.text("document.contentType"));
      assertTrue(
          browser.text("document.body.innerText").contains("# Manual del faro"),
          "Markdown is shown as its text");

      clickCitation(files, "¿A qué hora sube la marea en el puerto pesquero?", "mareas.txt");
      assertEquals("text/plain", browser.text("document.contentType"));
      assertTrue(browser.text("document.body.innerText").contains("TABLA DE MAREAS"));

      clickCitation(files, "¿Qué volcán expulsa ceniza y lava?", "volcanes.html");
      assertEquals("text/html", browser.text("document.contentType"));
      assertTrue(browser.text("document.body.innerText").contains("ceniza"));
      assertEquals("null", browser.text("String(window.origin)"), "a sandbox: an opaque origin");
      assertEquals("Volcanes", browser.text("document.title"), "the file's script did not run");

      clickCitation(files, "How fast do the glaciers retreat each year?", "informe.pdf#page=2");
      assertEquals("application/pdf", browser.text("document.contentType"));
      assertEquals("#page=2", browser.text("location.hash"), "the PDF opens at the cited page");
    }
  }

  private static final String FARO =
      "El farero revisa la lámpara del faro cada noche y limpia la lente con un paño seco.";
  private static final String MAREAS =
      "La marea sube en el puerto pesquero dos veces al día, a la hora que indica la tabla.";
  private static final String VOLCANES =
      "El volcán expulsa ceniza y lava cuando la presión del magma rompe la roca del cráter.";

  /** {@code first}, then {@code sentence} 30 times, numbered: about 2.5 KB. */
  private static String sentences(String first, String sentence) {
    var text = new StringBuilder(first);
    for (int i = 1; i <= 30; i++) {
      text.append(i).append(". ").append(sentence).append("\n");
    }
    return text.toString();
  }

  /** Page 1 about bees, page 2 about glaciers; well over 1,500 bytes. */
  private static void twoPagePdf(Path file) throws Exception {
    try (var pdf = new org.apache.pdfbox.pdmodel.PDDocument()) {
      for (String line :
          new String[] {
            "Bees visit flowers and carry pollen back to the hive.",
            "The glaciers retreat about thirty metres each year as the ice melts."
          }) {
        var page = new org.apache.pdfbox.pdmodel.PDPage();
        pdf.addPage(page);
        try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(pdf, page)) {
          content.beginText();
          content.setFont(
              new org.apache.pdfbox.pdmodel.font.PDType1Font(
                  org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA),
              11);
          content.setLeading(14);
          content.newLineAtOffset(50, 740);
          for (int i = 1; i <= 40; i++) {
            content.showText(i + ". " + line);
            content.newLine();
          }
          content.endText();
        }
      }
      pdf.save(
          file.toFile(), org.apache.pdfbox.pdfwriter.compress.CompressParameters.NO_COMPRESSION);
    }
    assertTrue(Files.size(file) > 1_500, "large enough to be compressed");
  }

  /**
   * Asks {@code question} on the chat page of {@code server}, then clicks the citation whose link
   * has {@code href} as a person would (in this tab: the page opens files in a new one) and waits
   * for the file.
   */
  private static void clickCitation(TestServer server, String question, String href)
      throws Exception {
    String file = href.split("#")[0];
    browser.open(server.base.resolve("/"));
    askOnThePage(question, 1);
    String link = ".citations a.file[href*=" + q(href) + "]";
    assertTrue(
        browser.eval("!!document.querySelector(" + q(link) + ")").asBoolean(),
        question + " cites " + href + ": " + citedOnThePage(0));
    browser.eval("document.querySelector(" + q(link) + ").removeAttribute('target')");
    browser.click(link);
    browser.waitFor(
        "location.pathname.endsWith(" + q("/" + file) + ") && document.readyState === 'complete'",
        Duration.ofSeconds(30),
        "the file " + file);
  }

  /**
   * "¿Cuánto disco tiene?" alone finds passages about disk space in general; after a question about
   * deploying on App Platform it finds the guide's section on App Platform's empty disk, because
   * the page sends that question as history. So that question's answer shows whether the page sent
   * a history, before and after "New conversation". (The conversation is cleared right after the
   * deployment question: had the page kept its history, the next answer would then quote the
   * guide's section.)
   */
  @Test
  void theChatPageIsAConversationUntilNewConversationClearsIt() throws Exception {
    String deploy = ExtractiveChatTest.DEPLOY;
    String aboutDeploying = "¿Cómo despliego Ancla en DigitalOcean App Platform?";
    String followUp = "¿Cuánto disco tiene?";
    browser.open(s.base.resolve("/"));
    askOnThePage(aboutDeploying, 1);
    assertTrue(citedOnThePage(0).contains(deploy), citedOnThePage(0).toString());

    browser.click("#new-chat");
    assertEquals(0, browser.eval("document.querySelectorAll('.turn').length").asInt());
    assertTrue(
        browser.text("document.getElementById('empty').textContent").contains("Nueva conversación"),
        "the empty transcript's hint is back");
    askOnThePage(followUp, 1);
    String alone = browser.text("document.querySelectorAll('.turn .answer')[0].textContent");
    assertFalse(
        alone.contains(ExtractiveChatTest.EMPTY_DISK),
        "after New conversation the question is asked alone: " + alone);

    askOnThePage(aboutDeploying, 2);
    askOnThePage(followUp, 3);
    assertTrue(
        citedOnThePage(2).contains(deploy),
        "the follow-up is answered from the guide of the previous question: " + citedOnThePage(2));
    String answer = browser.text("document.querySelectorAll('.turn .answer')[2].textContent");
    assertTrue(answer.contains(ExtractiveChatTest.EMPTY_DISK), answer);
    assertEquals(List.of(), scriptProblems());
  }

  /** Types and sends a question, then waits until the page shows {@code turns} finished turns. */
  private static void askOnThePage(String question, int turns) throws Exception {
    browser.type("#question", question);
    browser.pressEnter();
    browser.waitFor(
        "document.querySelectorAll('.turn').length === "
            + turns
            + " && !document.querySelector('.turn[aria-busy=true]')"
            + " && !document.getElementById('ask').disabled",
        Duration.ofSeconds(60),
        "the answer to " + question);
  }

  /** The files the {@code index}th turn on the page cites. */
  private static List<String> citedOnThePage(int index) throws Exception {
    List<String> cited = new ArrayList<>();
    browser
        .eval(
            "[...document.querySelectorAll('.turn')["
                + index
                + "].querySelectorAll('.citations a.file')].map(a => a.textContent)")
        .forEach(n -> cited.add(n.asText()));
    return cited;
  }

  @Test
  void theChatPageSpeaksEnglishOnRequest() throws Exception {
    browser.open(s.base.resolve("/chat"));
    browser.click("#lang-toggle");
    assertEquals("Ask", browser.text("document.getElementById('ask').textContent"));
    assertEquals(
        "New conversation", browser.text("document.getElementById('new-chat').textContent"));
    assertEquals("en", browser.text("document.documentElement.lang"));
    browser.click("#lang-toggle");
    assertEquals("Preguntar", browser.text("document.getElementById('ask').textContent"));
    assertEquals(
        "Nueva conversación", browser.text("document.getElementById('new-chat').textContent"));
  }

  @Test
  void documentTextWithMarkupIsShownAsTextAndNeverRuns() throws Exception {
    browser.open(s.base.resolve("/"));
    browser.type("#question", "nota de seguridad sobre el faro rojo");
    browser.pressEnter();
    browser.waitFor(
        "[...document.querySelectorAll('.turn[aria-busy=false] .snippet')].some(e => e.textContent.includes('<script>'))",
        Duration.ofSeconds(60),
        "the note's text, markup and all, as a citation");
    Thread.sleep(300); // an onerror handler would have fired by now
    assertTrue(browser.eval("window.__xss === undefined").asBoolean(), "no injected script ran");
    assertEquals(
        0, browser.eval("document.querySelectorAll('main img, main script').length").asInt());
    String shown = browser.text("document.getElementById('conversation').textContent");
    assertTrue(shown.contains("<img src=x onerror=\"window.__xss=1\">"), shown);
    assertEquals(List.of(), scriptProblems());
  }

  @Test
  void theAdminPageAsksForTheTokenOnceAndShowsProgressMovingDuringASync() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("admin-docs"));
    try (var admin = TestServer.open(dir.resolve("admin-data"), docs, "ANCLA_ADMIN_TOKEN", ADMIN)) {
      admin.awaitIdle(Duration.ofMinutes(1)); // the empty folder's first sync
      Files.writeString(
          docs.resolve("roto.pdf"),
          "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n%%EOF broken");
      TestServer.corpus(docs, 120, 7);
      browser.open(admin.base.resolve("/admin"));
      browser.waitFor(
          "!document.getElementById('login').hidden", Duration.ofSeconds(10), "the token form");
      browser.type("#token", ADMIN);
      browser.pressEnter();
      browser.waitFor(
          "!document.getElementById('dashboard').hidden", Duration.ofSeconds(10), "the dashboard");
      browser.waitFor(
          "document.getElementById('live').classList.contains('on')",
          Duration.ofSeconds(10),
          "the event stream");
      browser.waitFor(
          "document.getElementById('snapshots-note').textContent.includes('ANCLA_SNAPSHOT_URL')",
          Duration.ofSeconds(10),
          "the server's answer that snapshots are off, under snapshots");

      browser.click("#sync");
      List<String> seen = new ArrayList<>(); // documentsDone values while the job ran
      boolean shot = false;
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (System.nanoTime() < deadline) {
        JsonNode bar =
            browser.eval(
                "({done: document.getElementById('job-progress').dataset.done ?? null,"
                    + " fraction: document.getElementById('job-progress').value,"
                    + " text: document.getElementById('job-text').textContent,"
                    + " rate: document.getElementById('job-rate').textContent})");
        if (bar.path("done").isNull()) {
          if (!seen.isEmpty()) break; // the job ended
        } else {
          if (seen.isEmpty() || !seen.getLast().equals(bar.path("done").asText())) {
            seen.add(bar.path("done").asText());
          }
          double fraction = bar.path("fraction").asDouble();
          if (!shot && fraction >= 0.4 && fraction < 0.9) {
            assertTrue(bar.path("rate").asText().contains("fragmentos/s"), bar.toString());
            assertTrue(bar.path("rate").asText().contains("quedan"), bar.toString());
            browser.screenshot(SHOTS.resolve("admin.png"));
            shot = true;
          }
        }
        Thread.sleep(40);
      }
      assertTrue(seen.size() >= 3, "the progress bar moved during the sync: " + seen);
      browser.waitFor(
          "document.getElementById('last-job').textContent.includes('completo')",
          Duration.ofSeconds(30),
          "the finished job");
      browser.waitFor(
          "document.querySelector('#failed tbody tr')", Duration.ofSeconds(10), "the failed PDF");
      assertTrue(
          browser.text("document.getElementById('failed').textContent").contains("roto.pdf"));

      browser.click("#reindex");
      browser.waitFor(
          "document.getElementById('message').textContent.includes('ya está calculado')",
          Duration.ofSeconds(30),
          "the server's answer to reindex an index that has the configured model");
      browser.waitFor(
          "document.getElementById('reindex').textContent.includes('de todos modos')",
          Duration.ofSeconds(5),
          "the button offers to re-embed anyway");
      browser.click("#reindex");
      browser.waitFor(
          "document.getElementById('last-job').textContent.includes('Último reindexado: completo')",
          Duration.ofSeconds(60),
          "the finished reindex");
      assertEquals(
          "reindex",
          admin
              .get("/api/status", TestServer.bearer(ADMIN))
              .json()
              .path("lastJob")
              .path("kind")
              .asText());

      browser.open(admin.base.resolve("/admin")); // once per browser session
      browser.waitFor(
          "!document.getElementById('dashboard').hidden",
          Duration.ofSeconds(10),
          "the dashboard without asking again");
      String documents =
          admin.get("/api/status", TestServer.bearer(ADMIN)).json().path("documents").asText();
      assertEquals(
          documents,
          browser.text("document.getElementById('s-documents').textContent.replace(/\\D/g, '')"));
      assertEquals(List.of(), scriptProblems());
    }
  }

  /**
   * Without ANCLA_ADMIN_TOKEN every admin call is refused whatever the token, so the page says that
   * admin is off and which variable turns it on, asks for no token and offers no action.
   */
  @Test
  void theAdminPageOfAServerWithoutAnAdminTokenSaysAdminIsOffAndHowToTurnItOn() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("no-admin-docs"));
    try (var server = TestServer.open(dir.resolve("no-admin-data"), docs)) {
      browser.open(server.base.resolve("/admin"));
      browser.waitFor(
          "document.getElementById('message').textContent.includes('ANCLA_ADMIN_TOKEN')",
          Duration.ofSeconds(10),
          "the page to say that admin is off");
      String message = browser.text("document.getElementById('message').textContent");
      assertTrue(message.contains("desactivada") && message.contains("reinicia"), message);
      assertTrue(browser.eval("document.getElementById('login').hidden").asBoolean(), "no token");
      for (String button : List.of("sync", "reindex", "snapshot-now")) {
        assertTrue(
            browser.eval("document.getElementById('" + button + "').disabled").asBoolean(),
            button + " is disabled");
      }
      browser.waitFor(
          "document.getElementById('s-documents').textContent !== '—'",
          Duration.ofSeconds(10),
          "the status, open on a server without an API token");
      assertEquals(List.of(), scriptProblems());
    }
  }

  /**
   * The snapshot list follows the server: the one taken on "Snapshot now" and the one taken after a
   * sync's commit appear without a reload (the page hears of them on /api/events). A wrong token is
   * refused at once, and a sync that is still planning shows no "0 of 0 (100 %)".
   */
  @Test
  void theAdminPageListsNewSnapshotsWithoutAReload() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("snap-docs"));
    Path store = Files.createDirectories(dir.resolve("snap-store"));
    TestServer.corpus(docs, 3, 11);
    try (var admin =
        TestServer.open(
            dir.resolve("snap-data"),
            docs,
            "ANCLA_ADMIN_TOKEN",
            ADMIN,
            "ANCLA_SNAPSHOT_URL",
            store.toString(),
            "ANCLA_SNAPSHOT_DEBOUNCE_SECONDS",
            "1")) {
      admin.awaitIdle(Duration.ofMinutes(1));
      awaitSnapshots(admin, 1); // the first sync's commit, snapshotted after the quiet second
      browser.open(admin.base.resolve("/admin"));
      browser.waitFor(
          "!document.getElementById('login').hidden", Duration.ofSeconds(10), "the token form");
      browser.type("#token", "not-the-admin-token-000");
      browser.pressEnter();
      browser.waitFor(
          "document.getElementById('message').textContent.includes('no es válido')",
          Duration.ofSeconds(10),
          "a wrong token refused");
      assertTrue(browser.eval("document.getElementById('dashboard').hidden").asBoolean());

      browser.type("#token", ADMIN);
      browser.pressEnter();
      browser.waitFor(
          "document.getElementById('live').classList.contains('on')",
          Duration.ofSeconds(10),
          "the dashboard and its event stream");
      browser.waitFor(
          "document.querySelectorAll('#snapshots li').length === 1",
          Duration.ofSeconds(10),
          "the first snapshot listed");

      browser.click("#snapshot-now");
      browser.waitFor(
          "document.querySelectorAll('#snapshots li').length === 2",
          Duration.ofSeconds(20),
          "the snapshot taken on demand, listed without a reload");

      TestServer.corpus(Files.createDirectories(docs.resolve("more")), 2, 12);
      browser.click("#sync");
      browser.waitFor(
          "document.getElementById('job-text').textContent.includes('sync-')",
          Duration.ofSeconds(10),
          "the sync just started");
      String started = browser.text("document.getElementById('job-text').textContent");
      assertFalse(started.contains("0 de 0") || started.contains("100 %"), started);
      browser.waitFor(
          "document.querySelectorAll('#snapshots li').length === 3",
          Duration.ofSeconds(30),
          "the snapshot after the sync's commit, listed without a reload");
      assertEquals(
          3, admin.get("/api/snapshots", TestServer.bearer(ADMIN)).json().path("snapshots").size());
      assertEquals(List.of(), scriptProblems());
    }
  }

  private static void awaitSnapshots(TestServer server, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      var list = server.get("/api/snapshots", TestServer.bearer(ADMIN)).json();
      if (list.path("snapshots").size() >= count && list.path("running").isNull()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no " + count + " snapshots within 30 s");
  }

  /** Uncaught errors and policy violations; failed requests (401, 404, 409) are expected. */
  private static List<String> scriptProblems() {
    return browser.problems.stream().filter(p -> !p.startsWith("network:")).toList();
  }

  private static String q(String selector) {
    return "'" + selector.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
