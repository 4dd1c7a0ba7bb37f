package dev.ancla.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON over HTTP to an OpenAI-compatible API (OpenAI, Azure-style proxies, Ollama, vLLM, LiteLLM),
 * with the JDK's client: bearer key, timeouts, and retries with exponential backoff and jitter on
 * 429, 5xx and network errors, honouring {@code Retry-After}. Streams server-sent events.
 *
 * <p>Contract: error messages name the service, its URL, the status and the service's own message,
 * and never contain the API key (it is cut out of anything the service echoes). A stream is retried
 * only while nothing has been delivered from it, so a caller never sees a token twice.
 */
public final class OpenAiClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpenAiClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ancla-openai-watchdog").daemon(true).factory());

  /** How often and how patiently to retry; {@code attempts} counts the first try. */
  public record Retry(int attempts, Duration base, Duration max) {
    public static final Retry DEFAULT =
        new Retry(4, Duration.ofMillis(500), Duration.ofSeconds(20));

    /** Full jitter: a random wait up to base·2^(attempt-1), at most {@code max}. */
    Duration delay(int attempt) {
      long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(20, attempt - 1));
      return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
  }

  private final String what;
  private final URI baseUrl;
  private final Optional<String> apiKey;
  private final String keyVariable;
  private final Duration timeout;
  private final Retry retry;
  private final HttpClient http;

  /**
   * @param what the service in messages, e.g. "the chat model"
   * @param keyVariable the variable that holds the key, named in 401/403 hints
   * @param timeout for response headers, and for each wait on a stream
   */
  public OpenAiClient(
      String what,
      URI baseUrl,
      Optional<String> apiKey,
      String keyVariable,
      Duration timeout,
      Retry retry) {
    this.what = what;
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.keyVariable = keyVariable;
    this.timeout = timeout;
    this.retry = retry;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** POSTs {@code body} as JSON to {@code path} under the base URL; the parsed JSON response. */
  public JsonNode post(String path, Object body) throws IOException {
    HttpResponse<InputStream> response = send(path, body);
    try (InputStream in = response.body()) {
      return JSON.readTree(in);
    } catch (JsonProcessingException e) {
      throw new ServiceException(
          where(path) + " answered with something that is not JSON: " + e.getOriginalMessage(),
          e,
          false);
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      throw new ServiceException(
          where(path) + " sent an answer that broke off: " + redact(reason(e)), e, false);
    }
  }

  /**
   * POSTs a streaming request and hands each event's JSON to {@code onEvent} until {@code [DONE]}.
   * A plain JSON answer (a server that does not stream) is handed over as one event. Waiting longer
   * than the timeout for the next line fails; before the first event that is retried.
   */
  public void stream(String path, Object body, Consumer<JsonNode> onEvent) throws IOException {
    for (int attempt = 1; ; attempt++) {
      var delivered = new AtomicBoolean();
      try {
        streamOnce(
            path,
            body,
            event -> {
              delivered.set(true);
              onEvent.accept(event);
            });
        return;
      } catch (ServiceException | InterruptedIOException e) {
        throw e;
      } catch (StalledException e) {
        if (delivered.get() || attempt >= retry.attempts()) {
          throw new ServiceException(
              where(path)
                  + " sent nothing for "
                  + timeout.toSeconds()
                  + " s"
                  + (delivered.get()
                      ? "; the answer is incomplete"
                      : " after " + attempt + " attempts")
                  + " (the timeout is ANCLA_LLM_TIMEOUT_SECONDS)",
              null,
              true);
        }
        Duration wait = retry.delay(attempt);
        log.warn(
            "{} sent nothing for {} s; retrying in {} ms (attempt {}/{})",
            where(path),
            timeout.toSeconds(),
            wait.toMillis(),
            attempt + 1,
            retry.attempts());
        sleep(wait);
      } catch (IOException e) { // the stream broke off, or an event is not JSON
        throw new ServiceException(
            where(path) + " sent an answer that broke off or cannot be read: " + redact(reason(e)),
            e,
            false);
      }
    }
  }

  private static final class StalledException extends IOException {
    StalledException() {
      super("stalled", null);
    }
  }

  private void streamOnce(String path, Object body, Consumer<JsonNode> onEvent) throws IOException {
    HttpResponse<InputStream> response = send(path, body);
    String type = response.headers().firstValue("Content-Type").orElse("");
    InputStream in = response.body();
    var stalled = new AtomicBoolean();
    var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    try (in) {
      if (type.startsWith("application/json")) {
        onEvent.accept(JSON.readTree(reader));
        return;
      }
      for (String line; (line = readLine(reader, in, stalled)) != null; ) {
        if (!line.startsWith("data:")) {
          continue; // comments, event names, blank separators
        }
        String data = line.substring(5).strip();
        if (data.equals("[DONE]")) {
          return;
        }
        JsonNode event = JSON.readTree(data);
        if (event.has("error")) {
          throw new ServiceException(
              where(path) + " reported an error while streaming: " + redact(message(event, data)),
              null,
              false);
        }
        onEvent.accept(event);
      }
    } catch (IOException e) {
      if (stalled.get()) {
        throw new StalledException();
      }
      throw e;
    }
  }

  /** One line, or a stall: the watchdog closes the stream when none comes within the timeout. */
  private String readLine(BufferedReader reader, InputStream in, AtomicBoolean stalled)
      throws IOException {
    ScheduledFuture<?> alarm =
        WATCHDOG.schedule(
            () -> {
              stalled.set(true);
              try {
                in.close();
              } catch (IOException _) {
                // closing is how the blocked read is woken; nothing else to do
              }
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      String line = reader.readLine();
      if (stalled.get()) {
        throw new StalledException();
      }
      return line;
    } finally {
      alarm.cancel(false);
    }
  }

  /** Sends with retries; returns a 2xx response whose body the caller reads and closes. */
  private HttpResponse<InputStream> send(String path, Object body) throws IOException {
    byte[] json = JSON.writeValueAsBytes(body);
    for (int attempt = 1; ; attempt++) {
      ServiceException failure;
      Optional<Duration> retryAfter = Optional.empty();
      boolean retryable;
      try {
        HttpResponse<InputStream> response =
            http.send(request(path, json), HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        if (status / 100 == 2) {
          return response;
        }
        String detail;
        try (InputStream in = response.body()) {
          String text = new String(in.readNBytes(4_096), StandardCharsets.UTF_8);
          detail = redact(message(parseOrNull(text), text));
        }
        failure =
            new ServiceException(
                where(path) + " answered HTTP " + status + ": " + detail + hint(status),
                null,
                false);
        retryable = status == 429 || status >= 500;
        retryAfter = response.headers().firstValue("Retry-After").flatMap(OpenAiClient::seconds);
      } catch (HttpTimeoutException e) {
        failure =
            new ServiceException(
                where(path)
                    + " did not answer within "
                    + (e instanceof java.net.http.HttpConnectTimeoutException
                            ? CONNECT_TIMEOUT
                            : timeout)
                        .toSeconds()
                    + " s",
                e,
                true);
        retryable = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while calling " + where(path));
      } catch (IOException e) {
        failure =
            new ServiceException(
                where(path) + " cannot be reached: " + redact(reason(e)), e, false);
        retryable = true;
      }
      if (!retryable || attempt >= retry.attempts()) {
        if (attempt > 1) {
          throw new ServiceException(
              failure.getMessage() + " (gave up after " + attempt + " attempts)",
              failure.getCause(),
              failure.timedOut());
        }
        throw failure;
      }
      Duration wait =
          retryAfter
              .map(d -> d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d)
              .orElse(retry.delay(attempt));
      log.warn(
          "{}; retrying in {} ms (attempt {}/{})",
          failure.getMessage(),
          wait.toMillis(),
          attempt + 1,
          retry.attempts());
      sleep(wait);
    }
  }

  /**
   * What went wrong on the network, in words: the JDK's client reports a refused connection as a
   * ConnectException without a message, which read "cannot be reached: null".
   */
  static String reason(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return "the connection was refused (nothing listens there, or a firewall refuses it)";
      }
      if (t instanceof java.nio.channels.UnresolvedAddressException
          || t instanceof java.net.UnknownHostException) {
        return "the host name does not resolve";
      }
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }

  private HttpRequest request(String path, byte[] json) {
    var builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json));
    apiKey.ifPresent(k -> builder.header("Authorization", "Bearer " + k));
    return builder.build();
  }

  private String where(String path) {
    return what + " at " + baseUrl + path;
  }

  private String hint(int status) {
    return switch (status) {
      case 401, 403 -> "; check " + keyVariable + (apiKey.isEmpty() ? " (it is not set)" : "");
      case 404 -> "; check the URL (the base, e.g. https://api.openai.com/v1) and the model name";
      case 429 -> "; the service is rate-limiting Ancla";
      default -> "";
    };
  }

  /** The service's error message ({@code {"error": {"message": ...}}}), else the body, cut. */
  private static String message(JsonNode node, String raw) {
    if (node != null) {
      JsonNode error = node.path("error");
      if (error.isTextual()) return abbreviate(error.asText());
      if (error.path("message").isTextual()) return abbreviate(error.path("message").asText());
    }
    String flat = raw.replaceAll("\\s+", " ").strip();
    return flat.isEmpty() ? "(no body)" : abbreviate(flat);
  }

  private static JsonNode parseOrNull(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private String redact(String text) {
    return apiKey.filter(k -> !k.isEmpty()).map(k -> text.replace(k, "(key)")).orElse(text);
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 297) + "...";
  }

  private static Optional<Duration> seconds(String header) {
    try {
      long s = Long.parseLong(header.strip());
      return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty(); // an HTTP date: fall back to our own backoff
    }
  }

  private static void sleep(Duration wait) throws InterruptedIOException {
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }

  public URI baseUrl() {
    return baseUrl;
  }

  @Override
  public void close() {
    http.close();
  }
}
