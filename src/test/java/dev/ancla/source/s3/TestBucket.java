package dev.ancla.source.s3;

import dev.ancla.config.Config.S3Connection;
import dev.ancla.config.Config.S3Credentials;
import java.util.List;
import java.util.Optional;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** A document bucket on S3Proxy for a test: objects to add, change and delete, and its env. */
public final class TestBucket implements AutoCloseable {
  private final S3ProxyExtension proxy;
  private final String bucket;
  private final String prefix;
  private final S3Client s3;

  /** Creates {@code bucket} (S3Proxy starts with none); keys go under {@code prefix}. */
  public TestBucket(S3ProxyExtension proxy, String bucket, String prefix) {
    this.proxy = proxy;
    this.bucket = bucket;
    this.prefix = prefix;
    this.s3 = S3Source.client(connection());
    s3.createBucket(b -> b.bucket(bucket));
  }

  public S3Connection connection() {
    return new S3Connection(
        Optional.of(proxy.getUri()),
        "us-east-1",
        true,
        Optional.of(
            new S3Credentials(proxy.getAccessKey(), proxy.getSecretKey(), Optional.empty())));
  }

  public String key(String path) {
    return prefix.isEmpty() ? path : prefix + "/" + path;
  }

  public void put(String path, String text) {
    putKey(key(path), text);
  }

  /** Any key, inside the prefix or not. */
  public void putKey(String key, String text) {
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(text));
  }

  public void delete(String path) {
    s3.deleteObject(b -> b.bucket(bucket).key(key(path)));
  }

  /** The source a user gets from {@code s3://bucket/prefix}, listing {@code pageSize} per page. */
  public S3Source source(String id, int pageSize) {
    return new S3Source(id, bucket, prefix, S3Source.client(connection()), pageSize);
  }

  /** ANCLA_SOURCES' item and the ANCLA_S3_SOURCE_* variables for this bucket. */
  public String url() {
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }

  public List<String> env() {
    return List.of(
        "ANCLA_S3_SOURCE_ENDPOINT",
        proxy.getUri().toString(),
        "ANCLA_S3_SOURCE_REGION",
        "us-east-1",
        "ANCLA_S3_SOURCE_PATH_STYLE",
        "true",
        "ANCLA_S3_SOURCE_ACCESS_KEY_ID",
        proxy.getAccessKey(),
        "ANCLA_S3_SOURCE_SECRET_ACCESS_KEY",
        proxy.getSecretKey());
  }

  @Override
  public void close() {
    s3.close();
  }
}
