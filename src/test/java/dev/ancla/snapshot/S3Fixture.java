package dev.ancla.snapshot;

import dev.ancla.config.Config.S3Credentials;
import dev.ancla.config.Config.SnapshotTarget;
import java.util.Map;
import java.util.Optional;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.services.s3.S3Client;

/** An S3Proxy bucket for a test: the target, the env that names it, and a store on it. */
public record S3Fixture(S3ProxyExtension proxy, String bucket) {

  /** Builds the extension a test registers as a non-static field (S3Proxy wants that). */
  public static S3ProxyExtension newProxy() {
    return S3ProxyExtension.builder()
        .withCredentials("AKIATESTKEYID0000001", "s3cr3t-Test-Secret-Value-0123456789abcdef")
        .build();
  }

  SnapshotTarget.S3 target(String prefix) {
    return new SnapshotTarget.S3(
        bucket,
        prefix,
        Optional.of(proxy.getUri()),
        "us-east-1",
        true,
        Optional.of(
            new S3Credentials(proxy.getAccessKey(), proxy.getSecretKey(), Optional.empty())));
  }

  /** Creates the bucket; S3Proxy starts with none. */
  public S3Fixture createBucket() {
    try (S3Client s3 = S3BlobStore.client(target(""), 1)) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    return this;
  }

  /** A store on {@code prefix}, for tests outside this package. */
  public BlobStore open(String prefix) {
    return store(prefix);
  }

  S3BlobStore store(String prefix) {
    return new S3BlobStore(
        S3BlobStore.client(target(prefix), 3), bucket, prefix, 6L << 20, 5L << 20);
  }

  /** The environment a user would set for this bucket. */
  public Map<String, String> env(String prefix) {
    return Map.of(
        "ANCLA_SNAPSHOT_URL",
        "s3://" + bucket + "/" + prefix,
        "AWS_ENDPOINT_URL_S3",
        proxy.getUri().toString(),
        "ANCLA_S3_PATH_STYLE",
        "true",
        "AWS_REGION",
        "us-east-1",
        "AWS_ACCESS_KEY_ID",
        proxy.getAccessKey(),
        "AWS_SECRET_ACCESS_KEY",
        proxy.getSecretKey());
  }
}
