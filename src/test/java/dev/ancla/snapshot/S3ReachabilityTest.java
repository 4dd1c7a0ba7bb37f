package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config.S3Credentials;
import dev.ancla.config.Config.SnapshotTarget;
import dev.ancla.config.Config.StoreTimeouts;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every call to a store that never answers, or refuses connections, is an error within bounds. */
class S3ReachabilityTest {
  static final String SECRET = "s3cr3t-Reach-Secret-Value-0123456789abcdef";
  static final StoreTimeouts FAST =
      new StoreTimeouts(
          Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2), 4L << 20);

  @TempDir Path tmp;

  static SnapshotTarget.S3 target(URI endpoint, StoreTimeouts timeouts) {
    return new SnapshotTarget.S3(
        "ancla-test",
        "x",
        Optional.of(endpoint),
        "us-east-1",
        true,
        Optional.of(new S3Credentials("AKIAREACHKEYID000001", SECRET, Optional.empty())),
        timeouts);
  }

  static S3BlobStore store(URI endpoint) {
    // the production number of attempts: the bound must hold with retries
    return S3BlobStore.open(target(endpoint, FAST));
  }

  interface Call {
    void run(S3BlobStore store) throws IOException;
  }

  /** Runs a call, checks it fails naming the store, within {@code bound}; returns the message. */
  private static String failsWithin(URI endpoint, Duration bound, Call call) {
    return failsWithin(endpoint, Duration.ZERO, bound, call);
  }

  private static String failsWithin(URI endpoint, Duration least, Duration bound, Call call) {
    try (S3BlobStore store = store(endpoint)) {
      long start = System.nanoTime();
      IOException e = assertThrows(IOException.class, () -> call.run(store));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      String message = e.getMessage();
      assertTrue(took.compareTo(bound) < 0, "took " + took + ": " + message);
      assertTrue(took.compareTo(least) >= 0, "took only " + took + ": " + message);
      assertTrue(message.contains("s3://ancla-test/x"), message);
      assertFalse(message.contains(SECRET), message);
      assertFalse(message.contains("null"), message);
      return message;
    }
  }

  @Test
  void aStoreThatNeverAnswersIsAnErrorWithinTheTotalTimeoutForEveryCall() throws Exception {
    Path small = Files.writeString(tmp.resolve("small"), "{}");
    Duration bound = Duration.ofMillis(4500); // total 2 s, plus the client's own slack
    try (var silent = new SilentStore();
        var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      // all at once, each timed on its own: the test takes one bound, not seven
      List<Call> calls =
          List.of(
              s -> s.list("snapshots/"),
              s -> s.read("lease.json"),
              s -> s.open("blobs/a").close(),
              s -> s.exists("blobs/a"),
              s -> s.delete("blobs/a"),
              s -> s.put("blobs/a", small),
              s -> s.compareAndSet("lease.json", Optional.empty(), bytes("{\"epoch\":1}")));
      var messages = new ArrayList<Future<String>>();
      for (Call call : calls) {
        messages.add(threads.submit(() -> failsWithin(silent.uri(), bound, call)));
      }
      for (Future<String> message : messages) {
        String text = message.get();
        assertTrue(text.contains("did not answer in time"), text);
        assertTrue(text.contains("ANCLA_SNAPSHOT_REQUEST_TIMEOUT_SECONDS"), text);
      }
      assertTrue(silent.connections() > 0, "the calls did reach the silent store");
    }
  }

  @Test
  void aLargeUploadGetsTimeForItsBytesButNoMoreWhenTheStoreStopsReading() throws IOException {
    // 4 MiB at the slowest accepted 4 MiB/s: 1 s more than a call without a body
    byte[] data = new byte[4 << 20];
    Path big = Files.write(tmp.resolve("big"), data);
    assertEquals(Duration.ofSeconds(2), FAST.attempt(data.length));
    assertEquals(Duration.ofSeconds(3), FAST.call(data.length));
    try (var silent = new SilentStore()) {
      // more than the 2 s a call without a body gets: the 1 s for its bytes was given
      failsWithin(
          silent.uri(),
          Duration.ofMillis(2500),
          Duration.ofMillis(5500),
          s -> s.put("blobs/big", big));
    }
  }

  @Test
  void aRefusedConnectionSaysSoAndNamesTheVariableToCheck() throws IOException {
    URI refused = SilentStore.refused();
    String message = failsWithin(refused, Duration.ofSeconds(4), s -> s.list("snapshots/"));
    assertTrue(message.contains("connection refused"), message);
    assertTrue(message.contains("AWS_ENDPOINT_URL_S3"), message);
    failsWithin(refused, Duration.ofSeconds(4), s -> s.read("lease.json"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
