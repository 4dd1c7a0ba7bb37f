package dev.ancla.source.s3;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config.S3Connection;
import dev.ancla.config.Config.S3Credentials;
import dev.ancla.snapshot.S3Fixture;
import dev.ancla.source.Listing;
import dev.ancla.source.Source;
import dev.ancla.source.SourceContract;
import dev.ancla.source.SourceException;
import dev.ancla.source.SourceItem;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link S3Source} on S3Proxy passes the source contract, listing two keys per page so that every
 * listing follows continuation tokens.
 */
class S3SourceTest extends SourceContract {
  @RegisterExtension final S3ProxyExtension proxy = S3Fixture.newProxy();
  private TestBucket bucket;

  private TestBucket bucket() {
    if (bucket == null) {
      bucket = new TestBucket(proxy, "docs-bucket", "team/docs");
    }
    return bucket;
  }

  @AfterEach
  void closeBucket() {
    if (bucket != null) {
      bucket.close();
    }
  }

  @Override
  protected Source source() {
    return bucket().source("docs", 2);
  }

  @Override
  protected void put(String path, String text) {
    bucket().put(path, text);
  }

  @Override
  protected void delete(String path) {
    bucket().delete(path);
  }

  /** S3 has no rename: a copy under the new key, then a delete. */
  @Override
  protected void rename(String from, String to) throws IOException {
    try (var source = bucket().source("docs", 1000)) {
      var item =
          ((Listing.Full) source.list(Optional.empty()))
              .items().stream().filter(i -> i.path().equals(from)).findFirst().orElseThrow();
      try (var fetched = source.fetch(item, 1 << 20)) {
        bucket().put(to, java.nio.file.Files.readString(fetched.file()));
      }
    }
    bucket().delete(from);
  }

  @Override
  protected Source unreachable() {
    bucket(); // the server is up; the bucket is not there
    return new S3Source("docs", "no-such-bucket", "x", S3Source.client(bucket().connection()), 2);
  }

  private static List<SourceItem> items(Source source) throws IOException {
    return ((Listing.Full) source.list(Optional.empty())).items();
  }

  @Test
  void aListingOverManyPagesHasEveryKeyUnderThePrefixAndNoFolderMarkers() throws IOException {
    for (int i = 0; i < 7; i++) {
      put("sub/doc-" + i + ".txt", "texto " + i);
    }
    bucket().putKey("team/docs/sub/", ""); // a folder marker, as consoles create
    bucket().putKey("team/other.txt", "outside the prefix");
    bucket().putKey("team/docs-archive/x.txt", "a sibling prefix that starts the same");
    try (Source source = source()) {
      var listed = items(source);
      assertEquals(7, listed.size(), listed.toString());
      assertEquals("team/docs/sub/doc-0.txt", listed.getFirst().id());
      assertEquals("sub/doc-0.txt", listed.getFirst().path());
      assertEquals("s3://docs-bucket/team/docs", source.describe());
      assertTrue(listed.getFirst().version().endsWith(":7"), "ETag and size");
    }
  }

  @Test
  void wrongKeysFailNamingTheVariablesAndNeverTheSecret() throws IOException {
    bucket();
    var wrong =
        new S3Connection(
            Optional.of(proxy.getUri()),
            "us-east-1",
            true,
            Optional.of(
                new S3Credentials(
                    "AKIAWRONGKEY00000000",
                    "wrong-Secret-Value-zzzzzzzzzzzzzzzzzzzz",
                    Optional.empty())));
    try (var source = new S3Source("docs", "docs-bucket", "team/docs", S3Source.client(wrong), 2)) {
      var e = assertThrows(SourceException.class, source::check);
      assertTrue(e.getMessage().contains("s3://docs-bucket/team/docs"), e.getMessage());
      assertTrue(e.getMessage().contains("ANCLA_S3_SOURCE_SECRET_ACCESS_KEY"), e.getMessage());
      assertFalse(e.getMessage().contains("wrong-Secret-Value"), e.getMessage());
      assertThrows(SourceException.class, () -> source.list(Optional.empty()));
    }
  }
}
