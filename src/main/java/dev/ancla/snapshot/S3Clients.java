package dev.ancla.snapshot;

import dev.ancla.config.Config.S3Credentials;
import dev.ancla.config.Config.SnapshotTarget;
import dev.ancla.config.Config.StoreTimeouts;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Builds the S3 client for a target.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Every call is bounded ({@link StoreTimeouts}): connect, each attempt, and the whole call
 *       with its retries. A call that sends a body (PUT, part upload) gets the time to send it at
 *       the slowest accepted rate on top, so a large blob is never cut by a bound made for a
 *       listing, and a store that stops reading is still an error in the end. Reading a streamed
 *       body after the call returns is bounded by the request timeout as the longest silence.
 *   <li>Bodies go plain, never {@code aws-chunked}: some S3 servers (s3rver) store that framing
 *       inside the object over plain HTTP. Over plain HTTP the payload is then signed whole (the
 *       SDK reads a file body twice: once to hash it, once to send it); over HTTPS it is sent
 *       unsigned, as S3 allows there.
 *   <li>The SDK's own checksums are sent and checked only where S3 requires them; several
 *       S3-compatible stores reject them. Integrity is the snapshot's SHA-256, end to end.
 * </ul>
 */
public final class S3Clients {
  private S3Clients() {}

  /** A client for one target. {@code attempts} counts the first try. */
  static S3Client build(SnapshotTarget.S3 target, int attempts) {
    StoreTimeouts timeouts = target.timeouts();
    var http =
        new LastFailure(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(timeouts.connect())
                .socketTimeout(timeouts.request())
                .build());
    var builder =
        S3Client.builder()
            .httpClient(http)
            .region(Region.of(target.region()))
            .forcePathStyle(target.pathStyle())
            .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .credentialsProvider(credentials(target.credentials()))
            .overrideConfiguration(
                o ->
                    o.apiCallAttemptTimeout(timeouts.attempt(0))
                        .apiCallTimeout(timeouts.call(0))
                        .addExecutionInterceptor(new BodyTimeouts(timeouts))
                        .addExecutionInterceptor(http)
                        .retryStrategy(
                            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(attempts)
                                .build()));
    if (target.endpoint().isPresent()) {
      builder.endpointOverride(target.endpoint().get());
    } else {
      builder.crossRegionAccessEnabled(true); // AWS itself: follow the bucket's real region
    }
    return builder.build();
  }

  /**
   * Static keys when Ancla was given them, else the AWS SDK's default chain (profile, web identity,
   * instance role): the snapshot store's and the document bucket's alike.
   */
  public static AwsCredentialsProvider credentials(Optional<S3Credentials> keys) {
    return keys.<AwsCredentialsProvider>map(
            c ->
                StaticCredentialsProvider.create(
                    c.sessionToken()
                        .<AwsCredentials>map(
                            t ->
                                AwsSessionCredentials.create(
                                    c.accessKeyId(), c.secretAccessKey(), t))
                        .orElseGet(
                            () ->
                                AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey()))))
        .orElseGet(() -> DefaultCredentialsProvider.builder().build());
  }

  /** Gives a call that sends a body the time to send it, per attempt and in total. */
  private record BodyTimeouts(StoreTimeouts timeouts) implements ExecutionInterceptor {
    @Override
    public SdkRequest modifyRequest(
        Context.ModifyRequest context, ExecutionAttributes executionAttributes) {
      return switch (context.request()) {
        case PutObjectRequest put when put.contentLength() != null ->
            put.toBuilder()
                .overrideConfiguration(bounded(put.overrideConfiguration(), put.contentLength()))
                .build();
        case UploadPartRequest part when part.contentLength() != null ->
            part.toBuilder()
                .overrideConfiguration(bounded(part.overrideConfiguration(), part.contentLength()))
                .build();
        default -> context.request();
      };
    }

    private AwsRequestOverrideConfiguration bounded(
        Optional<AwsRequestOverrideConfiguration> current, long bytes) {
      return current
          .map(AwsRequestOverrideConfiguration::toBuilder)
          .orElseGet(AwsRequestOverrideConfiguration::builder)
          .apiCallAttemptTimeout(timeouts.attempt(bytes))
          .apiCallTimeout(timeouts.call(bytes))
          .build();
    }
  }

  /**
   * Remembers why the last attempt of a call failed, so that a call cut by its total timeout while
   * retrying still says why: "connection refused" tells more than "did not complete in time". The
   * sync client runs each attempt on the caller's thread.
   */
  private static final class LastFailure implements SdkHttpClient, ExecutionInterceptor {
    private final SdkHttpClient http;
    private final ThreadLocal<IOException> last = new ThreadLocal<>();

    LastFailure(SdkHttpClient http) {
      this.http = http;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      ExecutableHttpRequest prepared = http.prepareRequest(request);
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() throws IOException {
          try {
            return prepared.call();
          } catch (IOException e) {
            last.set(e);
            throw e;
          }
        }

        @Override
        public void abort() {
          prepared.abort();
        }
      };
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      last.remove();
    }

    @Override
    public Throwable modifyException(
        Context.FailedExecution context, ExecutionAttributes attributes) {
      Throwable failure = context.exception();
      IOException cause = last.get();
      last.remove();
      if (cause != null && failure != cause && !causedBy(failure, cause)) {
        failure.addSuppressed(cause);
      }
      return failure;
    }

    private static boolean causedBy(Throwable failure, Throwable cause) {
      for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
        if (t == cause) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String clientName() {
      return http.clientName();
    }

    @Override
    public void close() {
      http.close();
    }
  }
}
