package dev.ancla.snapshot;

import dev.ancla.config.Config.SnapshotTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs in an S3-compatible bucket (AWS, DigitalOcean Spaces, MinIO, R2) under a key prefix.
 *
 * <p>Files up to {@code multipartThreshold} go in one PUT, which S3 makes atomic; larger ones go as
 * a multipart upload, which becomes visible only when completed (and is aborted on failure). The
 * SDK retries throttling (429, SlowDown), 5xx and network errors with exponential backoff and
 * jitter. Integrity is checked end to end by the snapshot's SHA-256, so the SDK's own trailing
 * checksums are sent only where S3 requires them: several S3-compatible stores reject them.
 */
final class S3BlobStore implements BlobStore {
  static final long DEFAULT_MULTIPART_THRESHOLD = 64L * 1024 * 1024;
  static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;

  /** User metadata ({@code x-amz-meta-sha256}) holding a blob's SHA-256 in lowercase hex. */
  static final String SHA256_META = "sha256";

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final long multipartThreshold;
  private final long partSize;

  S3BlobStore(S3Client s3, String bucket, String prefix, long multipartThreshold, long partSize) {
    if (partSize < 5L * 1024 * 1024) {
      throw new IllegalArgumentException("partSize is " + partSize + "; S3 needs at least 5 MiB");
    }
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
    this.multipartThreshold = multipartThreshold;
    this.partSize = partSize;
  }

  static S3BlobStore open(SnapshotTarget.S3 target) {
    return new S3BlobStore(
        client(target, 6),
        target.bucket(),
        target.prefix(),
        DEFAULT_MULTIPART_THRESHOLD,
        DEFAULT_PART_SIZE);
  }

  /** A client for one target. {@code attempts} counts the first try. */
  static S3Client client(SnapshotTarget.S3 target, int attempts) {
    return S3Clients.build(target, attempts);
  }

  private String full(String key) {
    BlobStore.checkKey(key);
    return prefix.isEmpty() ? key : prefix + "/" + key;
  }

  @Override
  public boolean exists(String key) throws IOException {
    try {
      s3.headObject(b -> b.bucket(bucket).key(full(key)));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw failure("check", key, e);
    } catch (SdkException e) {
      throw failure("check", key, e);
    }
  }

  /**
   * HEAD with the checksum mode on: the length, and the SHA-256 from the object's {@code
   * x-amz-meta-sha256} (written by {@link #put(String, Path, String)}) or else from S3's own {@code
   * x-amz-checksum-sha256} of a single-part object.
   */
  @Override
  public Optional<Stat> stat(String key) throws IOException {
    try {
      HeadObjectResponse head =
          s3.headObject(b -> b.bucket(bucket).key(full(key)).checksumMode(ChecksumMode.ENABLED));
      Optional<String> sha =
          Optional.ofNullable(head.metadata().get(SHA256_META))
              .filter(v -> v.matches("[0-9a-f]{64}"))
              .or(() -> fromBase64(head.checksumSHA256()));
      return Optional.of(
          new Stat(
              head.contentLength(),
              sha,
              head.lastModified() == null ? java.time.Instant.EPOCH : head.lastModified()));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw failure("check", key, e);
    } catch (SdkException e) {
      throw failure("check", key, e);
    }
  }

  /** S3's checksum of a whole object is base64; a multipart one ends in "-N" and is not it. */
  private static Optional<String> fromBase64(String checksum) {
    if (checksum == null || checksum.contains("-")) {
      return Optional.empty();
    }
    try {
      byte[] raw = java.util.Base64.getDecoder().decode(checksum);
      return raw.length == 32 ? Optional.of(HexFormat.of().formatHex(raw)) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public void put(String key, Path file) throws IOException {
    put(key, file, Optional.empty());
  }

  /**
   * One PUT sends the SHA-256 as {@code x-amz-checksum-sha256}, which S3 (and S3Proxy) check
   * against the body that arrived and refuse with 400 BadDigest when it differs, and as {@code
   * x-amz-meta-sha256}, which {@link #stat} reads back. A multipart upload records the metadata
   * only: its parts are not checked by the store, so a completed multipart blob is trusted for its
   * length and re-read by the scrub.
   */
  @Override
  public void put(String key, Path file, String sha256) throws IOException {
    put(key, file, Optional.of(sha256));
  }

  private void put(String key, Path file, Optional<String> sha256) throws IOException {
    if (sha256.isPresent()) {
      // Not every store checks x-amz-checksum-sha256 (moto does not, nor does any store on a
      // multipart upload): the file is checked here too, so that no store is sent other bytes
      // than the key names.
      String actual;
      try (var in = Files.newInputStream(file)) {
        actual = Digest.of(in, null).sha256();
      }
      if (!actual.equals(sha256.get())) {
        throw new ChecksumMismatchException(
            file
                + " does not hash to "
                + sha256.get()
                + " (it hashes to "
                + actual
                + "): it changed since it was hashed; nothing was uploaded to "
                + describe());
      }
    }
    long size = Files.size(file);
    Map<String, String> metadata = sha256.map(sha -> Map.of(SHA256_META, sha)).orElse(Map.of());
    try {
      if (size <= multipartThreshold) {
        s3.putObject(
            b -> {
              b.bucket(bucket).key(full(key)).contentLength(size).metadata(metadata);
              sha256.ifPresent(
                  sha ->
                      b.checksumSHA256(
                          java.util.Base64.getEncoder()
                              .encodeToString(HexFormat.of().parseHex(sha))));
            },
            RequestBody.fromFile(file));
      } else {
        multipart(full(key), file, size, metadata);
      }
    } catch (S3Exception e) {
      if (sha256.isPresent() && e.statusCode() == 400 && isBadDigest(e)) {
        throw new ChecksumMismatchException(
            describe()
                + " refused "
                + key
                + ": the bytes it received do not hash to "
                + sha256.get()
                + " ("
                + e.awsErrorDetails().errorCode()
                + "); "
                + file
                + " changed or the upload was damaged on the way");
      }
      throw failure("upload", key, e);
    } catch (SdkException e) {
      throw failure("upload", key, e);
    }
  }

  private static boolean isBadDigest(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return code != null
        && (code.equals("BadDigest")
            || code.startsWith("XAmzContent")
            || code.equals("InvalidDigest"));
  }

  @Override
  public void create(String key, Path file) throws IOException {
    if (exists(key)) {
      throw new FileAlreadyExistsException(
          key, null, "already in " + describe() + "; blobs created here are never replaced");
    }
    long size = Files.size(file);
    try {
      // If-None-Match makes the check atomic where the store supports it (AWS, R2, MinIO)
      s3.putObject(
          b -> b.bucket(bucket).key(full(key)).contentLength(size).ifNoneMatch("*"),
          RequestBody.fromFile(file));
    } catch (S3Exception e) {
      if (e.statusCode() == 412 && !holdsExactly(key, file, size)) {
        throw new FileAlreadyExistsException(key, null, "already in " + describe());
      }
      if (e.statusCode() != 412) {
        throw failure("upload", key, e);
      }
    } catch (SdkException e) {
      throw failure("upload", key, e);
    }
  }

  /**
   * Whether {@code key} holds exactly the bytes of {@code file}. The SDK retries a PUT whose
   * response it did not get; when the first attempt did store the object, the retry's If-None-Match
   * fails with 412 although this very create succeeded. Only small objects (manifests) are created
   * this way, so reading one back is cheap.
   */
  private boolean holdsExactly(String key, Path file, long size) throws IOException {
    if (size > 16 * 1024 * 1024) {
      return false;
    }
    Optional<Versioned> stored = read(key);
    return stored.isPresent()
        && java.util.Arrays.equals(stored.get().bytes(), Files.readAllBytes(file));
  }

  private void multipart(String fullKey, Path file, long size, Map<String, String> metadata)
      throws IOException {
    String uploadId =
        s3.createMultipartUpload(b -> b.bucket(bucket).key(fullKey).metadata(metadata)).uploadId();
    try {
      var parts = new ArrayList<CompletedPart>();
      int number = 1;
      for (long offset = 0; offset < size; offset += partSize, number++) {
        long length = Math.min(partSize, size - offset);
        long start = offset;
        int partNumber = number;
        // a fresh stream per attempt, so a retried part re-reads its bytes from the file
        var body =
            RequestBody.fromContentProvider(
                () -> partStream(file, start, length), length, "application/octet-stream");
        String etag =
            s3.uploadPart(
                    b ->
                        b.bucket(bucket)
                            .key(fullKey)
                            .uploadId(uploadId)
                            .partNumber(partNumber)
                            .contentLength(length),
                    body)
                .eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
      }
      s3.completeMultipartUpload(
          b ->
              b.bucket(bucket)
                  .key(fullKey)
                  .uploadId(uploadId)
                  .multipartUpload(m -> m.parts(parts)));
    } catch (RuntimeException e) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(fullKey).uploadId(uploadId));
      } catch (SdkException abort) {
        e.addSuppressed(abort);
      }
      throw e;
    }
  }

  private static InputStream partStream(Path file, long start, long length) {
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ).position(start);
      return new BoundedStream(Channels.newInputStream(channel), length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    try {
      return s3.getObject(b -> b.bucket(bucket).key(full(key)));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new NoSuchFileException(key, null, "no such blob in " + describe());
      }
      throw failure("download", key, e);
    } catch (SdkException e) {
      throw failure("download", key, e);
    }
  }

  @Override
  public List<Blob> list(String keyPrefix) throws IOException {
    String full = prefix.isEmpty() ? keyPrefix : prefix + "/" + keyPrefix;
    int strip = prefix.isEmpty() ? 0 : prefix.length() + 1;
    var result = new ArrayList<Blob>();
    try {
      for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(full)).contents()) {
        result.add(new Blob(o.key().substring(strip), o.size(), o.lastModified()));
      }
    } catch (SdkException e) {
      throw failure("list", keyPrefix, e);
    }
    result.sort(Comparator.comparing(Blob::key));
    return result;
  }

  @Override
  public Optional<Versioned> read(String key) throws IOException {
    try {
      ResponseBytes<GetObjectResponse> object =
          s3.getObjectAsBytes(b -> b.bucket(bucket).key(full(key)));
      return Optional.of(new Versioned(object.asByteArray(), object.response().eTag()));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw failure("read", key, e);
    } catch (SdkException e) {
      throw failure("read", key, e);
    }
  }

  /**
   * A conditional PUT: {@code If-None-Match: *} to create, {@code If-Match: <ETag>} to replace. S3
   * (since 2024), R2, MinIO and S3Proxy answer 412 when the condition fails, and 409 when a
   * concurrent conditional write is in progress; both are a {@link ConflictException}. A store that
   * ignores the headers degrades to last-writer-wins, which the lease's read-back catches.
   */
  @Override
  public String compareAndSet(String key, Optional<String> expected, byte[] bytes)
      throws IOException {
    try {
      return s3.putObject(
              b -> {
                b.bucket(bucket).key(full(key)).contentLength((long) bytes.length);
                expected.ifPresentOrElse(b::ifMatch, () -> b.ifNoneMatch("*"));
              },
              RequestBody.fromBytes(bytes))
          .eTag();
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        // the SDK retries a write whose response it did not get; when that first attempt did
        // store our bytes, the retry's condition fails although this very write succeeded
        Optional<String> ours = holding(key, bytes);
        if (ours.isPresent()) {
          return ours.get();
        }
        throw new ConflictException(
            key + " in " + describe() + " changed since it was read (HTTP " + e.statusCode() + ")");
      }
      throw failure("write", key, e);
    } catch (SdkException e) {
      return afterUnknownOutcome(key, expected, bytes, e);
    }
  }

  /**
   * The version of {@code key} when it holds exactly {@code bytes}: what a compare-and-set writes
   * (a lease names its holder and expiry), so no other writer's object is equal to it.
   */
  private Optional<String> holding(String key, byte[] bytes) {
    try {
      return read(key)
          .filter(now -> java.util.Arrays.equals(now.bytes(), bytes))
          .map(Versioned::version);
    } catch (IOException e) {
      return Optional.empty(); // the conflict stands
    }
  }

  /**
   * A store may answer 412 from the headers and close the connection while the body is still being
   * sent; the client then sees a transport error, not the 412. Reading the object back tells the
   * outcome: our bytes are there (it was written), or another version is (a conflict).
   */
  private String afterUnknownOutcome(
      String key, Optional<String> expected, byte[] bytes, SdkException error) throws IOException {
    Optional<Versioned> now;
    try {
      now = read(key);
    } catch (IOException readError) {
      throw failure("write", key, error);
    }
    if (now.isPresent() && java.util.Arrays.equals(now.get().bytes(), bytes)) {
      return now.get().version();
    }
    boolean changed =
        expected.isEmpty()
            ? now.isPresent()
            : now.isEmpty() || !now.get().version().equals(expected.get());
    if (changed) {
      throw new ConflictException(key + " in " + describe() + " changed since it was read");
    }
    throw failure("write", key, error);
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(full(key)));
    } catch (SdkException e) {
      throw failure("delete", key, e);
    }
  }

  @Override
  public String describe() {
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }

  /**
   * An IOException that says what failed and what to check. The SDK's text holds no secrets; its
   * page-long credential-chain text is replaced by what to set.
   */
  private IOException failure(String action, String key, SdkException e) {
    return StoreErrors.describe(describe(), action + " " + key, e);
  }

  @Override
  public void close() {
    s3.close();
  }

  /** At most {@code remaining} bytes of a stream. */
  private static final class BoundedStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedStream(InputStream in, long remaining) {
      this.in = in;
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
