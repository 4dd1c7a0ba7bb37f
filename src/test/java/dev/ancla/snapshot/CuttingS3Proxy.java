package dev.ancla.snapshot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An HTTP proxy in front of S3Proxy that damages blob uploads the way a kill or a faulty store
 * does: a PUT of a {@code blobs/} key is read, only the first half of its body is stored in the
 * backend (with the upload's own {@code x-amz-meta-*} headers, as a store that keeps partial
 * objects does), and then the connection is cut ({@link Mode#CUT}) or answered 200 as if all went
 * well ({@link Mode#LIE}). Everything else passes through, one request per connection. {@link
 * #damageAfter} lets some blob uploads through first and stores another share than half, for cuts
 * at a random point of a snapshot (SnapshotBench's {@code --only interrupted}).
 */
public final class CuttingS3Proxy implements AutoCloseable {
  public enum Mode {
    PASS,
    CUT,
    LIE
  }

  private final ServerSocket server;
  private final URI backend;
  private final S3Client direct;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private volatile Mode mode = Mode.PASS;
  private final AtomicInteger damaged = new AtomicInteger();
  private final AtomicInteger passesLeft = new AtomicInteger(); // blob uploads to let through
  private volatile DoubleSupplier share = () -> 0.5; // of each damaged body that is stored

  /** {@code direct} writes to the backend the partial objects. */
  public CuttingS3Proxy(URI backend, S3Client direct) throws IOException {
    this.backend = backend;
    this.direct = direct;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    pool.submit(this::accept);
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  /**
   * From now on lets {@code passes} blob uploads through, then damages each later one in {@code
   * mode}, storing the first {@code share.getAsDouble()} of its body (0 to 1).
   */
  public void damageAfter(Mode mode, int passes, DoubleSupplier share) {
    this.share = share;
    passesLeft.set(passes);
    this.mode = mode;
  }

  /** How many uploads it has damaged. */
  public int damaged() {
    return damaged.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        pool.submit(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      String head = readHead(in);
      if (head == null) {
        return;
      }
      String[] lines = head.split("\r\n");
      String[] request = lines[0].split(" ");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      Mode now = mode;
      if (now != Mode.PASS
          && request[0].equals("PUT")
          && request[1].contains("/blobs/")
          && passesLeft.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
        damage(client, in, request[1], headers, now);
        return;
      }
      pass(client, in, lines);
    } catch (IOException e) {
      // the client or the backend went away: so does this exchange
    }
  }

  private void damage(
      Socket client, InputStream in, String target, Map<String, String> headers, Mode now)
      throws IOException {
    OutputStream out = client.getOutputStream();
    if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    String sha = headers.getOrDefault("x-amz-content-sha256", "");
    if (sha.startsWith("STREAMING-")
        || headers.getOrDefault("content-encoding", "").contains("aws-chunked")) {
      body = unchunk(body);
    }
    // path style: /bucket/key?query
    String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
    path = URLDecoder.decode(path, StandardCharsets.UTF_8);
    String bucket = path.substring(1, path.indexOf('/', 1));
    String key = path.substring(path.indexOf('/', 1) + 1);
    var metadata = new LinkedHashMap<String, String>();
    headers.forEach(
        (k, v) -> {
          if (k.startsWith("x-amz-meta-")) {
            metadata.put(k.substring("x-amz-meta-".length()), v);
          }
        });
    double kept = Math.clamp(share.getAsDouble(), 0.0, 1.0);
    byte[] part =
        Arrays.copyOf(
            body, (int) Math.max(0, Math.min(body.length - 1L, (long) (body.length * kept))));
    direct.putObject(
        b -> b.bucket(bucket).key(key).metadata(metadata), RequestBody.fromBytes(part));
    damaged.incrementAndGet();
    if (now == Mode.LIE) {
      out.write(
          ("HTTP/1.1 200 OK\r\nETag: \"00000000000000000000000000000000\"\r\n"
                  + "Content-Length: 0\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } else {
      client.setSoLinger(true, 0); // a reset, as when the process or the network dies
    }
  }

  /** The payload of an aws-chunked body: {@code hex[;chunk-signature=..]\r\n<bytes>\r\n}... */
  private static byte[] unchunk(byte[] body) {
    var out = new ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int eol = indexOf(body, at);
      String line = new String(body, at, eol - at, StandardCharsets.US_ASCII);
      int size = Integer.parseInt(line.split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(body, eol + 2, size);
      at = eol + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] body, int from) {
    for (int i = from; i + 1 < body.length; i++) {
      if (body[i] == '\r' && body[i + 1] == '\n') {
        return i;
      }
    }
    return body.length;
  }

  /** Forwards one request with Connection: close, then the response until the backend closes. */
  private void pass(Socket client, InputStream in, String[] lines) throws IOException {
    try (Socket up = new Socket(backend.getHost(), backend.getPort())) {
      var head = new StringBuilder(lines[0]).append("\r\n");
      for (int i = 1; i < lines.length; i++) {
        if (!lines[i].toLowerCase(Locale.ROOT).startsWith("connection:")) {
          head.append(lines[i]).append("\r\n");
        }
      }
      head.append("Connection: close\r\n\r\n");
      OutputStream upOut = up.getOutputStream();
      upOut.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      upOut.flush();
      pool.submit(
          () -> {
            try {
              in.transferTo(upOut); // the body, as the client sends it
            } catch (IOException e) {
              // the exchange is over
            }
          });
      InputStream upIn = up.getInputStream();
      OutputStream out = client.getOutputStream();
      while (true) {
        String response = readHead(upIn);
        if (response == null) {
          return;
        }
        boolean interim = response.startsWith("HTTP/1.1 1");
        var rewritten = new StringBuilder();
        for (String line : response.split("\r\n")) {
          if (!interim && line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
            continue;
          }
          rewritten.append(line).append("\r\n");
        }
        if (!interim) {
          rewritten.append("Connection: close\r\n");
        }
        rewritten.append("\r\n");
        out.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (!interim) {
          break;
        }
      }
      upIn.transferTo(out);
      out.flush();
      client.shutdownOutput();
    }
  }

  /** The bytes up to the blank line, without it; null at the end of the stream. */
  private static String readHead(InputStream in) throws IOException {
    var head = new ByteArrayOutputStream();
    int matched = 0;
    for (int b; (b = in.read()) >= 0; ) {
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        byte[] bytes = head.toByteArray();
        return new String(bytes, 0, bytes.length - 4, StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    pool.shutdownNow();
  }
}
