package dev.ancla.source.s3;

import dev.ancla.config.Config.S3Connection;
import dev.ancla.config.Config.SourceSpec;
import dev.ancla.snapshot.S3Clients;
import dev.ancla.source.Downloads;
import dev.ancla.source.Fetched;
import dev.ancla.source.Listing;
import dev.ancla.source.Source;
import dev.ancla.source.SourceException;
import dev.ancla.source.SourceItem;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Optional;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The objects of an S3-compatible bucket (AWS, Spaces, MinIO, R2) under a prefix. An item's id is
 * its key, its display path the key below the prefix, its version the ETag with the size (an ETag
 * is not a content hash: multipart uploads and encryption change its meaning, so the sync still
 * hashes the bytes when it moves). There is no change feed: every listing is complete, paged with
 * continuation tokens, and deletions show as keys missing from it.
 *
 * <p>Keys ending in '/' (folder markers) are not items. Checksums are computed and validated only
 * when an operation requires them, which third-party stores accept.
 */
public final class S3Source implements Source {
  private final String id;
  private final String bucket;
  private final String prefix; // "" or "a/b/": keys start with it
  private final S3Client s3;
  private final int pageSize;

  /**
   * @param prefix no leading or trailing '/', may be empty
   * @param pageSize keys per ListObjectsV2 page (1000 is the most S3 gives; tests use fewer)
   */
  public S3Source(String id, String bucket, String prefix, S3Client s3, int pageSize) {
    this.id = id;
    this.bucket = bucket;
    this.prefix = prefix.isEmpty() ? "" : prefix + "/";
    this.s3 = s3;
    this.pageSize = pageSize;
  }

  public static S3Source open(SourceSpec.S3 spec) {
    return new S3Source(spec.id(), spec.bucket(), spec.prefix(), client(spec.connection()), 1000);
  }

  /** A client for the document buckets, with checksums only where an operation requires them. */
  public static S3Client client(S3Connection connection) {
    RetryStrategy retries =
        AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(3).build();
    var builder =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60)))
            .region(Region.of(connection.region()))
            .forcePathStyle(connection.pathStyle())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .credentialsProvider(S3Clients.credentials(connection.credentials()))
            .overrideConfiguration(o -> o.retryStrategy(retries));
    if (connection.endpoint().isPresent()) {
      builder.endpointOverride(connection.endpoint().get());
    } else {
      builder.crossRegionAccessEnabled(true); // AWS itself: follow the bucket's real region
    }
    return builder.build();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String kind() {
    return "s3";
  }

  @Override
  public String describe() {
    return "s3://"
        + bucket
        + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
  }

  @Override
  public void check() throws IOException {
    try {
      s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(1));
    } catch (SdkException e) {
      throw failure("read", e);
    }
  }

  /** Always a full listing: S3 has no change feed, and the cursor is ignored. */
  @Override
  public Listing list(Optional<String> cursor) throws IOException {
    var items = new ArrayList<SourceItem>();
    String token = null;
    try {
      do {
        String continuation = token;
        ListObjectsV2Response page =
            s3.listObjectsV2(
                b ->
                    b.bucket(bucket)
                        .prefix(prefix)
                        .maxKeys(pageSize)
                        .continuationToken(continuation));
        for (S3Object object : page.contents()) {
          item(object).ifPresent(items::add);
        }
        // follow the token, never the item count: stores return short pages
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      } while (token != null);
    } catch (SdkException e) {
      throw failure("list", e);
    }
    items.sort(Comparator.comparing(SourceItem::id));
    return new Listing.Full(items, Optional.empty());
  }

  private Optional<SourceItem> item(S3Object object) {
    String key = object.key();
    if (key.endsWith("/") || !key.startsWith(prefix) || key.length() == prefix.length()) {
      return Optional.empty(); // a folder marker
    }
    long size = object.size() == null ? -1 : object.size();
    String etag = object.eTag() == null ? "" : object.eTag().replace("\"", "");
    return Optional.of(SourceItem.of(key, key.substring(prefix.length()), etag + ":" + size, size));
  }

  @Override
  public Fetched fetch(SourceItem item, long maxBytes) throws IOException {
    String what = describe() + "/" + item.path();
    Downloads.checkSize(what, item.size(), maxBytes);
    if (!item.id().startsWith(prefix)) {
      throw new SourceException(what + ": key " + item.id() + " is not under " + describe());
    }
    try {
      return Downloads.toTempFile(
          s3.getObject(b -> b.bucket(bucket).key(item.id())), maxBytes, what);
    } catch (SdkException e) {
      throw failure("read " + item.id() + " from", e);
    }
  }

  /**
   * A {@link SourceException} that says what failed and what to check; SDK text holds no secret.
   */
  private SourceException failure(String action, SdkException e) {
    String hint =
        switch (e) {
          case S3Exception s when s.statusCode() == 403 ->
              "; check ANCLA_S3_SOURCE_ACCESS_KEY_ID and ANCLA_S3_SOURCE_SECRET_ACCESS_KEY (or"
                  + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and the key's permission to list"
                  + " and read the bucket";
          case S3Exception s when s.statusCode() == 404 ->
              "; check that the bucket exists and that ANCLA_S3_SOURCE_REGION and"
                  + " ANCLA_S3_SOURCE_ENDPOINT point at it";
          case SdkClientException _ ->
              "; check ANCLA_S3_SOURCE_ENDPOINT (or AWS_ENDPOINT_URL_S3) and the network";
          default -> "";
        };
    return new SourceException(
        "source "
            + id
            + " ("
            + describe()
            + "): cannot "
            + action
            + " the bucket: "
            + e.getMessage()
            + hint,
        e);
  }

  @Override
  public void close() {
    s3.close();
  }
}
