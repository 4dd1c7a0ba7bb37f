package dev.ancla.index.solr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Solr's JSON APIs over java.net.http (no SolrJ: its Jetty 10 would meet Javalin's Jetty 12 in this
 * JVM). A request goes to one node; when that node cannot be reached it goes to the next, so one
 * node down fails no request. Only when every node fails does it throw {@link SolrUnavailable}.
 * Solr's own errors (a bad query, a schema mismatch) are IOExceptions with Solr's message.
 */
final class SolrHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final List<URI> nodes;
  private final HttpClient client;
  private final Duration timeout;
  private final AtomicInteger next = new AtomicInteger();

  SolrHttp(List<URI> nodes, Duration timeout) {
    this.nodes = List.copyOf(nodes);
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** GET {@code path} (after the node's /solr, with its query string). */
  JsonNode get(String path) throws IOException {
    return send(path, null, null);
  }

  /** POSTs a JSON body. */
  JsonNode postJson(String path, String json) throws IOException {
    return send(path, "application/json", HttpRequest.BodyPublishers.ofString(json));
  }

  /** POSTs bytes, e.g. a configset's zip. */
  JsonNode postBytes(String path, byte[] body) throws IOException {
    return send(path, "application/octet-stream", HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private JsonNode send(String path, String type, HttpRequest.BodyPublisher body)
      throws IOException {
    int first = Math.floorMod(next.getAndIncrement(), nodes.size());
    IOException last = null;
    for (int i = 0; i < nodes.size(); i++) {
      URI node = nodes.get((first + i) % nodes.size());
      var request = HttpRequest.newBuilder(URI.create(node + path)).timeout(timeout);
      if (body == null) {
        request.GET();
      } else {
        request.header("Content-Type", type).POST(body);
      }
      HttpResponse<String> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (ConnectException | HttpConnectTimeoutException e) {
        last = e;
        continue; // this node is down: the next one
      } catch (HttpTimeoutException e) {
        last = e;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while calling Solr at " + node);
      } catch (IOException e) {
        last = e; // reset or closed while the node stopped
        continue;
      }
      if (response.statusCode() == 503 || response.statusCode() == 502) {
        last = new IOException(node + " answered " + response.statusCode());
        continue; // a node without a live replica for this request: another may have one
      }
      JsonNode json = parse(response.body(), node, path);
      if (response.statusCode() == 409) {
        throw new Conflict(json.path("error").path("msg").asText(response.body()));
      }
      if (response.statusCode() != 200) {
        String message = json.path("error").path("msg").asText(response.body());
        throw new IOException(
            "Solr at "
                + node
                + " refused "
                + shortPath(path)
                + " ("
                + response.statusCode()
                + "): "
                + message);
      }
      return json;
    }
    throw new SolrUnavailable(
        "no Solr node answered ("
            + nodes
            + "): "
            + (last == null ? "" : last.getMessage())
            + ". Check that the cluster is up and ANCLA_INDEX_URL lists its nodes",
        last);
  }

  /**
   * Solr's 409: an update named a {@code _version_} the document no longer has (or -1 for one that
   * exists). Optimistic concurrency's "someone else changed it".
   */
  static final class Conflict extends IOException {
    Conflict(String message) {
      super(message);
    }
  }

  private static JsonNode parse(String body, URI node, String path) throws IOException {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IOException(
          "Solr at " + node + " answered " + shortPath(path) + " with something that is not JSON",
          e);
    }
  }

  private static String shortPath(String path) {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }
}
