package dev.ancla.server;

import static dev.ancla.server.TestServer.ADMIN;
import static dev.ancla.server.TestServer.bearer;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.snapshot.S3Fixture;
import dev.ancla.snapshot.SwitchableRelay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The API over a store that worked at boot and then stopped answering: errors, never a hang. */
class ServerHungStoreTest {
  @RegisterExtension final S3ProxyExtension proxy = S3Fixture.newProxy();
  @TempDir Path dir;

  @Test
  void snapshotCallsFailWithinTheStoreTimeoutsNamingTheStore() throws Exception {
    var fixture = new S3Fixture(proxy, "ancla-hung").createBucket();
    Path docs = Files.createDirectories(dir.resolve("docs")); // empty: no model to load
    try (var relay = new SwitchableRelay(proxy.getUri())) {
      var env = new HashMap<>(fixture.env("prod"));
      env.put("AWS_ENDPOINT_URL_S3", relay.uri().toString());
      env.put("ANCLA_SNAPSHOT_CONNECT_TIMEOUT_SECONDS", "1");
      env.put("ANCLA_SNAPSHOT_REQUEST_TIMEOUT_SECONDS", "2");
      env.put("ANCLA_SNAPSHOT_TOTAL_TIMEOUT_SECONDS", "2");
      env.put("ANCLA_SNAPSHOT_DEBOUNCE_SECONDS", "3600");
      env.put("ANCLA_SNAPSHOT_SHUTDOWN_SECONDS", "2");
      env.put("ANCLA_ADMIN_TOKEN", ADMIN);
      var pairs = new ArrayList<String>();
      env.forEach((k, v) -> pairs.addAll(List.of(k, v)));
      try (var s = TestServer.open(dir.resolve("data"), docs, pairs.toArray(String[]::new))) {
        s.awaitIdle(Duration.ofMinutes(2));
        assertEquals(200, s.get("/api/snapshots", bearer(ADMIN)).status(), "the store worked");
        relay.silence();

        long start = System.nanoTime();
        var list = s.get("/api/snapshots", bearer(ADMIN));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(502, list.status(), list.body());
        assertTrue(took.compareTo(Duration.ofSeconds(8)) < 0, "took " + took);
        String error = list.json().path("error").asText();
        assertTrue(error.contains("s3://ancla-hung/prod"), error);
        assertTrue(error.contains("did not answer in time"), error);
        assertFalse(error.contains(proxy.getSecretKey()), error);

        start = System.nanoTime();
        assertEquals(202, s.post("/api/snapshots", bearer(ADMIN)).status());
        JsonNode status = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
          status = s.get("/api/status", bearer(ADMIN)).json();
          if (!status.path("snapshotError").isNull()) {
            break;
          }
          Thread.sleep(100);
        }
        took = Duration.ofNanos(System.nanoTime() - start);
        String failed = status.path("snapshotError").asText();
        assertTrue(failed.contains("s3://ancla-hung/prod"), status.toString());
        assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "took " + took);
        assertEquals(502, s.get("/api/snapshots", bearer(ADMIN)).status());
      }
    }
  }
}
