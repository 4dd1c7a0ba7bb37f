package dev.ancla.snapshot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small S3 object endpoint on 127.0.0.1 that records what the client puts on the wire, and can
 * behave as real stores do that Ancla must survive: one that keeps the {@code aws-chunked} framing
 * inside the object (s3rver over plain HTTP), and one that ignores {@code If-None-Match} / {@code
 * If-Match} (stores that do not implement conditional writes). Objects: GET, HEAD, PUT, DELETE on
 * path-style keys; nothing else.
 */
final class WireS3 implements AutoCloseable {
  /** One PUT as it arrived. */
  record Put(String path, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }
  }

  private record Stored(byte[] body, String etag) {}

  private final HttpServer server;
  private final Map<String, Stored> objects = new ConcurrentHashMap<>();
  final List<Put> puts = new CopyOnWriteArrayList<>();
  private final boolean keepFraming;
  private final boolean ignoreConditions;

  WireS3(boolean keepFraming, boolean ignoreConditions) throws IOException {
    this.keepFraming = keepFraming;
    this.ignoreConditions = ignoreConditions;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The paths of the objects held now. */
  java.util.Set<String> paths() {
    return java.util.Set.copyOf(objects.keySet());
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      byte[] body = exchange.getRequestBody().readAllBytes();
      Stored current = objects.get(path);
      switch (exchange.getRequestMethod()) {
        case "PUT" -> {
          puts.add(new Put(path, Map.copyOf(exchange.getRequestHeaders()), body));
          String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
          String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
          if (!ignoreConditions
              && (("*".equals(ifNoneMatch) && current != null)
                  || (ifMatch != null && (current == null || !current.etag().equals(ifMatch))))) {
            error(exchange, 412, "PreconditionFailed");
            return;
          }
          byte[] kept = keepFraming ? frame(body) : body;
          Stored stored = new Stored(kept, "\"" + md5(kept) + "\"");
          objects.put(path, stored);
          exchange.getResponseHeaders().add("ETag", stored.etag());
          exchange.sendResponseHeaders(200, -1);
        }
        case "GET", "HEAD" -> {
          if (current == null) {
            error(exchange, 404, "NoSuchKey");
            return;
          }
          exchange.getResponseHeaders().add("ETag", current.etag());
          exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
          boolean head = exchange.getRequestMethod().equals("HEAD");
          exchange.sendResponseHeaders(200, head ? -1 : current.body().length);
          if (!head) {
            exchange.getResponseBody().write(current.body());
          }
        }
        case "DELETE" -> {
          objects.remove(path);
          exchange.sendResponseHeaders(204, -1);
        }
        default -> error(exchange, 501, "NotImplemented");
      }
    }
  }

  /** What s3rver keeps of an aws-chunked upload: the framing, signatures and all. */
  static byte[] frame(byte[] body) {
    String signature = "0".repeat(64);
    String head = Integer.toHexString(body.length) + ";chunk-signature=" + signature + "\r\n";
    String tail = "\r\n0;chunk-signature=" + signature + "\r\n\r\n";
    byte[] out = new byte[head.length() + body.length + tail.length()];
    System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, out, 0, head.length());
    System.arraycopy(body, 0, out, head.length(), body.length);
    System.arraycopy(
        tail.getBytes(StandardCharsets.US_ASCII),
        0,
        out,
        head.length() + body.length,
        tail.length());
    return out;
  }

  private static void error(HttpExchange exchange, int status, String code) throws IOException {
    byte[] xml =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                + code
                + "</Code><Message>"
                + code
                + "</Message></Error>")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/xml");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
    } else {
      exchange.sendResponseHeaders(status, xml.length);
      exchange.getResponseBody().write(xml);
    }
  }

  private static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
