package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class S3BlobStoreTest extends BlobStoreContract {
  @RegisterExtension final S3ProxyExtension proxy = S3Fixture.newProxy();

  @Override
  BlobStore store() {
    return new S3Fixture(proxy, "ancla-test").createBucket().store("team/ancla");
  }

  @Test
  void keysLiveUnderThePrefixAndAnotherPrefixSeesNothing() throws IOException {
    var fixture = new S3Fixture(proxy, "ancla-test").createBucket();
    try (var store = fixture.store("one");
        var other = fixture.store("two")) {
      store.put("blobs/a", Files.writeString(tmp.resolve("a"), "a"));
      assertEquals("blobs/a", store.list("").getFirst().key());
      assertTrue(other.list("").isEmpty());
      assertFalse(other.exists("blobs/a"));
    }
  }

  @Test
  void aVerifiedPutRecordsItsChecksumInTheObjectsMetadata() throws IOException {
    var fixture = new S3Fixture(proxy, "ancla-test").createBucket();
    try (var store = fixture.store("p")) {
      var small = Files.writeString(tmp.resolve("s"), "small");
      store.put("blobs/s", small, sha256(small));
      assertEquals(Optional.of(sha256(small)), store.stat("blobs/s").orElseThrow().sha256());
      store.put("blobs/u", small);
      assertEquals(
          5, store.stat("blobs/u").orElseThrow().size(), "a put without a checksum has a length");
    }
  }

  @Test
  void wrongCredentialsFailWithAHintAndNoSecret() {
    var fixture = new S3Fixture(proxy, "ancla-test").createBucket();
    var target = fixture.target("x");
    var wrong =
        new dev.ancla.config.Config.SnapshotTarget.S3(
            target.bucket(),
            target.prefix(),
            target.endpoint(),
            target.region(),
            true,
            java.util.Optional.of(
                new dev.ancla.config.Config.S3Credentials(
                    "AKIAWRONGKEY00000000",
                    "wrong-Secret-Value-zzzzzzzzzzzzzzzzzzzz",
                    java.util.Optional.empty())));
    try (var store =
        new S3BlobStore(S3BlobStore.client(wrong, 1), "ancla-test", "x", 6L << 20, 5L << 20)) {
      var e = assertThrows(IOException.class, () -> store.list("snapshots/"));
      assertTrue(e.getMessage().contains("s3://ancla-test/x"), e.getMessage());
      assertTrue(e.getMessage().contains("AWS_SECRET_ACCESS_KEY"), e.getMessage());
      assertFalse(e.getMessage().contains("wrong-Secret-Value"), e.getMessage());
    }
  }

  @Test
  void anUnreachableEndpointFailsAfterRetriesWithAHint() {
    var fixture = new S3Fixture(proxy, "ancla-test");
    var target = fixture.target("x");
    var closed =
        new dev.ancla.config.Config.SnapshotTarget.S3(
            target.bucket(),
            "x",
            java.util.Optional.of(java.net.URI.create("http://127.0.0.1:1")),
            "us-east-1",
            true,
            target.credentials());
    try (var store =
        new S3BlobStore(S3BlobStore.client(closed, 2), "ancla-test", "x", 6L << 20, 5L << 20)) {
      var e = assertThrows(IOException.class, () -> store.list("snapshots/"));
      assertTrue(e.getMessage().contains("AWS_ENDPOINT_URL_S3"), e.getMessage());
    }
  }
}
