package dev.ancla.server;

import static dev.ancla.server.TestServer.ADMIN;
import static dev.ancla.server.TestServer.bearer;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server while it indexes: readiness, progress events, one job at a time, searches beside it.
 */
class ServerSyncTest {
  @TempDir Path dir;

  @Test
  void thePortOpensBeforeTheIndexAndReadinessFollowsTheIndexNotTheIndexing() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    TestServer.corpus(docs, 30, 1);
    try (var s = TestServer.start(dir.resolve("data"), docs, "ANCLA_ADMIN_TOKEN", ADMIN)) {
      assertEquals(200, s.get("/healthz").status());
      var notYet = s.get("/readyz");
      assertEquals(503, notYet.status());
      assertEquals("opening the index", notYet.json().path("reason").asText());
      var search = s.get("/api/search?q=faro");
      assertEquals(503, search.status());
      assertTrue(search.error().contains("still opening"), search.body());

      s.server.open();
      assertEquals(200, s.get("/readyz").status(), "ready as soon as the index is open");
      JsonNode job = s.get("/api/status").json().path("job");
      assertEquals("sync", job.path("kind").asText(), "a missing index is built in the background");

      var second = s.post("/api/sync", bearer(ADMIN));
      assertEquals(409, second.status(), second.body());
      assertEquals(job.path("id").asText(), second.json().path("job").path("id").asText());
      assertTrue(second.error().contains("one runs at a time"), second.body());
      assertEquals("complete", s.awaitIdle(Duration.ofMinutes(3)).path("state").asText());
    }
  }

  @Test
  void eventsStreamTheProgressOfASync() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    try (var s = TestServer.open(dir.resolve("data"), docs, "ANCLA_ADMIN_TOKEN", ADMIN)) {
      s.awaitIdle(Duration.ofMinutes(1)); // the empty folder's first sync
      TestServer.corpus(docs, 40, 2);
      var events = new CopyOnWriteArrayList<String[]>(); // {event, data}
      var connected = new CountDownLatch(1);
      var done = new CountDownLatch(1);
      var request =
          HttpRequest.newBuilder(s.base.resolve("/api/events"))
              .header("Accept", "text/event-stream")
              .build();
      Thread reader =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      HttpResponse<Stream<String>> response =
                          s.client.send(request, HttpResponse.BodyHandlers.ofLines());
                      String event = "message";
                      for (var it = response.body().iterator(); it.hasNext(); ) {
                        String line = it.next();
                        if (line.startsWith("event: ")) {
                          event = line.substring(7);
                        } else if (line.startsWith("data: ")) {
                          events.add(new String[] {event, line.substring(6)});
                          connected.countDown();
                          boolean afterProgress =
                              events.stream().anyMatch(e -> e[0].equals("progress"));
                          if (event.equals("done") && afterProgress) { // not an earlier job's
                            done.countDown();
                            return;
                          }
                        }
                      }
                    } catch (Exception e) {
                      events.add(new String[] {"error", e.toString()});
                    }
                  });
      assertTrue(connected.await(10, TimeUnit.SECONDS), "the stream starts with a state event");
      assertEquals(202, s.post("/api/sync", bearer(ADMIN)).status());
      assertTrue(done.await(3, TimeUnit.MINUTES), "a done event ends the job: " + names(events));
      reader.join(5_000);

      var mapper = new ObjectMapper();
      assertEquals("state", events.getFirst()[0]);
      List<JsonNode> progress = new ArrayList<>();
      for (String[] e : events) {
        if (e[0].equals("progress")) {
          progress.add(mapper.readTree(e[1]));
        }
      }
      assertFalse(progress.isEmpty(), "progress events while the sync runs: " + names(events));
      JsonNode last = progress.getLast();
      assertEquals(40, last.path("documentsTotal").asInt(), last.toString());
      assertTrue(last.has("etaSeconds") && last.has("chunksPerSecond") && last.has("fraction"));
      assertTrue(
          progress.getFirst().path("documentsDone").asInt() <= last.path("documentsDone").asInt());
      JsonNode finished = mapper.readTree(events.getLast()[1]);
      assertEquals("complete", finished.path("state").asText());
      assertEquals(40, finished.path("report").path("added").asInt());
    }
  }

  private static List<String> names(List<String[]> events) {
    return events.stream().map(e -> e[0]).toList();
  }

  @Test
  void fiftyConcurrentSearchesDuringASyncAllSucceed() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(
        docs.resolve("faro.md"), "# Faro\n\nEl faro guía a los barcos en la tormenta.\n");
    try (var s =
        TestServer.open(
            dir.resolve("data"),
            docs,
            "ANCLA_ADMIN_TOKEN",
            ADMIN,
            "ANCLA_CHECKPOINT_CHUNKS",
            "20")) {
      s.awaitIdle(Duration.ofMinutes(1));
      TestServer.corpus(docs, 80, 3);
      assertEquals(202, s.post("/api/sync", bearer(ADMIN)).status());
      assertFalse(s.get("/api/status").json().path("job").isNull(), "the sync runs");

      var failures = new CopyOnWriteArrayList<String>();
      var start = new CountDownLatch(1);
      List<Future<?>> searches = new ArrayList<>();
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 50; i++) {
          String q = i % 2 == 0 ? "faro+tormenta" : "marea+puerto+" + i;
          searches.add(
              pool.submit(
                  () -> {
                    start.await();
                    var r = s.get("/api/search?q=" + q + "&k=5");
                    if (r.status() != 200 || !r.json().path("results").isArray()) {
                      failures.add(r.status() + " " + r.body());
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> f : searches) {
          f.get(2, TimeUnit.MINUTES);
        }
      }
      boolean stillRunning = !s.get("/api/status").json().path("job").isNull();
      assertEquals(List.of(), failures);
      assertEquals("complete", s.awaitIdle(Duration.ofMinutes(3)).path("state").asText());
      JsonNode hits = s.get("/api/search?q=faro+tormenta&k=3").json().path("results");
      assertEquals("faro.md", hits.get(0).path("path").asText());
      System.out.println("sync still running after the 50 searches: " + stillRunning);
    }
  }
}
