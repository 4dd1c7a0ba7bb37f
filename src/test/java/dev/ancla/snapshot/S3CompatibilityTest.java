package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config.S3Credentials;
import dev.ancla.config.Config.SnapshotTarget;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Ancla needs from an S3 server, and what it does on servers that differ: plain bodies on the
 * wire, a store that keeps aws-chunked framing, a store that ignores conditional writes.
 */
class S3CompatibilityTest {
  @RegisterExtension final S3ProxyExtension proxy = S3Fixture.newProxy();
  @TempDir Path tmp;

  private static S3BlobStore store(URI endpoint) {
    var target =
        new SnapshotTarget.S3(
            "ancla-test",
            "p",
            Optional.of(endpoint),
            "us-east-1",
            true,
            Optional.of(
                new S3Credentials(
                    "AKIAWIRETESTKEY00001",
                    "wire-Secret-Value-0123456789abcdef",
                    Optional.empty())));
    return new S3BlobStore(S3BlobStore.client(target, 1), "ancla-test", "p", 6L << 20, 5L << 20);
  }

  private static WriterLease lease(BlobStore store) {
    return new WriterLease(
        store, WriterLease.newHolderId(), Duration.ofSeconds(60), Clock.systemUTC());
  }

  @Test
  void bodiesGoPlainNeverAwsChunkedSoWhatIsReadBackIsWhatWasWritten() throws Exception {
    byte[] data = new byte[300_000];
    new Random(3).nextBytes(data);
    Path file = Files.write(tmp.resolve("blob"), data);
    byte[] lease = "{\"epoch\":1,\"holder\":\"h\"}".getBytes(StandardCharsets.UTF_8);
    try (var wire = new WireS3(false, false);
        var store = store(wire.uri())) {
      store.compareAndSet("lease.json", Optional.empty(), lease);
      store.put("blobs/b", file);
      assertEquals(2, wire.puts.size());
      for (var put : wire.puts) {
        byte[] expected = put.path().endsWith("lease.json") ? lease : data;
        assertArrayEquals(expected, put.body(), put.path() + " went plain");
        assertFalse(
            String.valueOf(put.header("Content-Encoding")).contains("aws-chunked"),
            put.headers().toString());
        assertNull(put.header("x-amz-decoded-content-length"), put.headers().toString());
        assertEquals(
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected)),
            put.header("x-amz-content-sha256"),
            "the payload is signed whole");
      }
      assertArrayEquals(lease, store.read("lease.json").orElseThrow().bytes());
      try (var in = store.open("blobs/b")) {
        assertArrayEquals(data, in.readAllBytes());
      }
    }
  }

  @Test
  void aStoreThatKeepsTheChunkFramingIsNamedAsTheCauseNotALostLease() throws Exception {
    try (var wire = new WireS3(true, false);
        var store = store(wire.uri());
        var lease = lease(store)) {
      var e = assertThrows(AlteredBody.class, lease::acquire);
      assertTrue(e.getMessage().contains("s3://ancla-test/p"), e.getMessage());
      assertTrue(e.getMessage().contains("altered the body of lease.json"), e.getMessage());
      assertTrue(e.getMessage().contains("aws-chunked"), e.getMessage());
      assertFalse(e.getMessage().contains("taken by"), e.getMessage());
      assertInstanceOf(WriterLease.State.NotTaken.class, lease.state());
      assertThrows(AlteredBody.class, lease::checkBeforePublish, "never publishes");
    }
  }

  @Test
  void aStoreThatIgnoresConditionalWritesIsFoundAtStartAndTheLeaseStillHandsOver()
      throws Exception {
    try (var wire = new WireS3(false, true);
        var store = store(wire.uri());
        var first = lease(store);
        var second = lease(store)) {
      first.acquire();
      assertEquals(Optional.of(new ConditionalWrites(false, false)), first.conditionalWrites());
      assertEquals("If-None-Match and If-Match", first.conditionalWrites().get().ignored());
      assertTrue(
          wire.paths().stream().noneMatch(p -> p.contains(ConditionalWrites.PREFIX)),
          "the probe was deleted: " + wire.paths());
      // a rolling deploy: the newer instance takes over, the older one finds out before publishing
      second.takeOver();
      assertInstanceOf(WriterLease.State.Held.class, second.state());
      assertThrows(WriterLease.LostException.class, first::checkBeforePublish);
      second.checkBeforePublish();
    }
  }

  @Test
  void s3ProxyAndTheFolderStoreHonourConditionalWrites() throws IOException {
    try (var store = new S3Fixture(proxy, "ancla-test").createBucket().store("p")) {
      assertTrue(ConditionalWrites.probe(store).honoured());
      assertTrue(store.list(ConditionalWrites.PREFIX).isEmpty());
    }
    try (var store = new FolderBlobStore(Files.createDirectories(tmp.resolve("folder")))) {
      assertTrue(ConditionalWrites.probe(store).honoured());
    }
  }
}
