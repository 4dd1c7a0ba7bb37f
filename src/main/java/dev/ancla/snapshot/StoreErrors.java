package dev.ancla.snapshot;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns an AWS SDK failure into an IOException that names the store, what was being done, what
 * happened in a few words and what to check. Never a credential: the SDK's texts hold none, and its
 * page-long credential-chain text is replaced by what to set.
 */
final class StoreErrors {
  static final String TIMEOUTS =
      "ANCLA_SNAPSHOT_CONNECT_TIMEOUT_SECONDS, ANCLA_SNAPSHOT_REQUEST_TIMEOUT_SECONDS and"
          + " ANCLA_SNAPSHOT_TOTAL_TIMEOUT_SECONDS";
  private static final String ENDPOINT = "check AWS_ENDPOINT_URL_S3 (or ANCLA_S3_ENDPOINT)";

  private StoreErrors() {}

  /**
   * @param store e.g. {@code s3://bucket/prefix}
   * @param what e.g. {@code list snapshots/}
   */
  static IOException describe(String store, String what, SdkException e) {
    return new IOException(store + ": cannot " + what + ": " + reason(e), e);
  }

  static String reason(SdkException e) {
    if (e instanceof S3Exception s) {
      String text =
          s.awsErrorDetails() == null || s.awsErrorDetails().errorMessage() == null
              ? ""
              : s.awsErrorDetails().errorMessage();
      return switch (s.statusCode()) {
        case 403 ->
            "HTTP 403 "
                + text
                + "; check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the key's permissions on"
                + " the bucket";
        case 404 ->
            "HTTP 404 "
                + text
                + "; check that the bucket exists and AWS_REGION / AWS_ENDPOINT_URL_S3 point at it";
        default -> e.getMessage();
      };
    }
    String message = String.valueOf(e.getMessage());
    if (message.startsWith("Unable to load credentials")) {
      return "no credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give the"
          + " AWS SDK's default chain a profile, web identity or instance role";
    }
    boolean timedOut =
        e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException;
    // the cause, or, for a call cut by its timeout while retrying, why its last attempt failed
    var causes = new ArrayList<Throwable>();
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      causes.add(t);
    }
    for (Throwable suppressed : e.getSuppressed()) {
      for (Throwable t = suppressed; t != null; t = t.getCause()) {
        causes.add(t);
      }
    }
    String then = timedOut ? "; then the call ran out of time (" + e.getMessage() + ")" : "";
    for (Throwable cause : causes) {
      switch (cause) {
        case ConnectException c -> {
          return "connection refused or failed ("
              + text(c)
              + ")"
              + then
              + "; "
              + ENDPOINT
              + " and that the store is up";
        }
        case UnknownHostException u -> {
          return "unknown host " + text(u) + then + "; " + ENDPOINT;
        }
        case NoRouteToHostException n -> {
          return "no route to host (" + text(n) + ")" + then + "; " + ENDPOINT + " and the network";
        }
        case SocketTimeoutException t -> {
          return noAnswer(text(t));
        }
        default -> {}
      }
    }
    if (timedOut) {
      return noAnswer(e.getMessage());
    }
    for (Throwable cause : causes) {
      if (cause instanceof InterruptedIOException i) {
        return "interrupted (" + text(i) + ")";
      }
    }
    return message + "; " + ENDPOINT + " and the network";
  }

  private static String noAnswer(String detail) {
    return "the store did not answer in time ("
        + detail
        + "); "
        + ENDPOINT
        + " and that the store is up, or raise "
        + TIMEOUTS;
  }

  /** A cause's message, or its kind when it has none (never "null"). */
  private static String text(Throwable t) {
    return t.getMessage() == null || t.getMessage().isBlank()
        ? t.getClass().getSimpleName()
        : t.getMessage();
  }
}
