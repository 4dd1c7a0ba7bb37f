package dev.ancla.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The one HTTP client of {@code bench http}, for Ancla and Chroma alike: java.net.http, HTTP/1.1,
 * requests one after another, so every query reuses one kept-alive connection. Timing a query
 * includes sending the body and parsing the whole JSON response, on both servers the same way.
 */
final class LoopbackClient {
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  /** A response: status and body (parsed when it is JSON). */
  record Response(int status, JsonNode json) {}

  /** Whether GET {@code uri} answers 200 now; false while nothing listens (connection refused). */
  boolean ok(URI uri) {
    try {
      return get(uri).status() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  Response get(URI uri) throws IOException {
    return send(HttpRequest.newBuilder(uri).GET());
  }

  Response postJson(URI uri, String json) throws IOException {
    return send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private Response send(HttpRequest.Builder request) throws IOException {
    try {
      HttpResponse<byte[]> response =
          client.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      byte[] body = response.body();
      JsonNode json =
          body.length > 0 && (body[0] == '{' || body[0] == '[')
              ? BenchJson.MAPPER.readTree(body)
              : BenchJson.MAPPER.missingNode();
      return new Response(response.statusCode(), json);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** A JSON array of the floats, each written so that it parses back to the same float. */
  static StringBuilder appendVector(StringBuilder json, float[] vector) {
    json.append('[');
    for (int i = 0; i < vector.length; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(vector[i]);
    }
    return json.append(']');
  }
}
