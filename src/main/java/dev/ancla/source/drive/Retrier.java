package dev.ancla.source.drive;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpResponseException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Drive calls paced and retried. Retried: 429, 403 {@code userRateLimitExceeded} / {@code
 * rateLimitExceeded}, 5xx and network errors, with exponential backoff and full jitter, waiting at
 * least what {@code Retry-After} asks. A rate limit is never taken for lost access: when the
 * attempts run out it is reported as a rate limit.
 */
final class Retrier {
  private static final Logger log = LoggerFactory.getLogger(Retrier.class);
  private static final Set<String> RATE_LIMIT_REASONS =
      Set.of("userRateLimitExceeded", "rateLimitExceeded", "sharingRateLimitExceeded");
  private static final Duration MAX_WAIT = Duration.ofSeconds(64);

  /** One call to the API; it is repeated whole on a retry. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws IOException;
  }

  /** How the retrier waits; tests pass one that records. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final Pacer pacer;
  private final int attempts;
  private final Duration base;
  private final Sleeper sleeper;

  Retrier(Pacer pacer, int attempts, Duration base, Sleeper sleeper) {
    this.pacer = pacer;
    this.attempts = attempts;
    this.base = base;
    this.sleeper = sleeper;
  }

  <T> T call(String what, Call<T> call) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        pacer.acquire();
        return call.run();
      } catch (IOException e) {
        if (!retryable(e) || attempt >= attempts) {
          throw e;
        }
        Duration wait = backoff(attempt, retryAfter(e));
        log.info(
            "Drive {}: {} (attempt {} of {}); retrying in {} ms",
            what,
            describe(e),
            attempt,
            attempts,
            wait.toMillis());
        sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while pacing Drive requests");
      }
    }
  }

  private void sleep(Duration wait) throws InterruptedIOException {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry a Drive request");
    }
  }

  private Duration backoff(int attempt, Duration retryAfter) {
    long ceiling = Math.min(MAX_WAIT.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
    long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    return Duration.ofMillis(Math.max(jittered, retryAfter.toMillis()));
  }

  static boolean retryable(IOException e) {
    if (e instanceof dev.ancla.source.SourceException || authFailure(e)) {
      return false; // the auth library retries the token endpoint itself
    }
    if (e instanceof HttpResponseException http) {
      int status = http.getStatusCode();
      return status == 429 || status >= 500 || rateLimited(http);
    }
    return !(e instanceof InterruptedIOException) || e instanceof java.net.SocketTimeoutException;
  }

  /** The token endpoint refused the key (or could not be reached after the library's retries). */
  static boolean authFailure(IOException e) {
    return e instanceof com.google.auth.Retryable;
  }

  /** A 403 that only says "slow down": not a permission problem. */
  static boolean rateLimited(HttpResponseException e) {
    if (e.getStatusCode() == 429) {
      return true;
    }
    return e.getStatusCode() == 403 && RATE_LIMIT_REASONS.contains(reason(e));
  }

  /** The first error reason Drive gives, e.g. notFound, exportSizeLimitExceeded; "" if none. */
  static String reason(IOException e) {
    if (e instanceof GoogleJsonResponseException json) {
      GoogleJsonError details = json.getDetails();
      if (details != null && details.getErrors() != null && !details.getErrors().isEmpty()) {
        String reason = details.getErrors().getFirst().getReason();
        return reason == null ? "" : reason;
      }
    }
    return "";
  }

  static Duration retryAfter(IOException e) {
    if (!(e instanceof HttpResponseException http) || http.getHeaders() == null) {
      return Duration.ZERO;
    }
    String raw = http.getHeaders().getRetryAfter();
    if (raw == null || raw.isBlank()) {
      return Duration.ZERO;
    }
    try {
      return Duration.ofSeconds(Math.min(Long.parseLong(raw.strip()), MAX_WAIT.toSeconds()));
    } catch (NumberFormatException _) {
      try {
        var at = ZonedDateTime.parse(raw.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return until.isNegative() ? Duration.ZERO : min(until, MAX_WAIT);
      } catch (DateTimeParseException _) {
        return Duration.ZERO;
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** A short description without the response body (which may echo request details). */
  static String describe(IOException e) {
    if (e instanceof HttpResponseException http) {
      String reason = reason(e);
      return "HTTP " + http.getStatusCode() + (reason.isEmpty() ? "" : " " + reason);
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
