package dev.ancla.server;

import static dev.ancla.server.TestServer.ADMIN;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Error answers over raw sockets, as a broken or hostile client sends them: each carries the same
 * security headers as a normal answer and the API's JSON error, including the ones Jetty writes
 * before a request reaches the routes (a request line it cannot parse, a URI too long).
 */
class HttpErrorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static TestServer s;

  @BeforeAll
  static void start() throws Exception {
    s =
        TestServer.open(
            dir.resolve("data"),
            Files.createDirectories(dir.resolve("docs")),
            "ANCLA_ADMIN_TOKEN",
            ADMIN);
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  /** A raw HTTP/1.1 answer: status, headers by lower-case name, body. */
  record Raw(int status, Map<String, String> headers, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  @Test
  void aNormalAnswerHasTheSecurityHeaders() throws Exception {
    Raw ok = send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertEquals(200, ok.status(), ok.body());
    assertSecurityHeaders(ok);
  }

  @Test
  void anOversizedBodyIs413WithTheSecurityHeaders() throws Exception {
    Raw r =
        send(
            "POST /api/search HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + (HttpApi.MAX_REQUEST_BYTES + 1)
                + "\r\nConnection: close\r\n\r\n{\"q\": \"");
    assertEquals(413, r.status(), r.body());
    assertSecurityHeaders(r);
    assertTrue(r.json().path("error").asText().contains("at most 65536"), r.body());
  }

  @Test
  void aMalformedRequestLineIs400JsonWithTheSecurityHeaders() throws Exception {
    Raw r = send("GET /api/status HTTP/1.1 extra\r\nHost: localhost\r\n\r\n");
    assertEquals(400, r.status(), r.body());
    assertSecurityHeaders(r);
    assertTrue(r.headers().get("content-type").startsWith("application/json"), r.toString());
    assertTrue(r.json().path("error").asText().contains("not valid HTTP"), r.body());
  }

  @Test
  void anOverlongUriIs414JsonWithTheSecurityHeaders() throws Exception {
    Raw r =
        send(
            "GET /api/search?q="
                + "faro".repeat(5_000)
                + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertEquals(414, r.status(), r.body());
    assertSecurityHeaders(r);
    assertTrue(r.headers().get("content-type").startsWith("application/json"), r.toString());
    assertTrue(r.json().path("error").asText().contains("POST /api/search"), r.body());
  }

  @Test
  void aBadPercentEncodingAndAnAmbiguousPathAreJsonWithTheSecurityHeaders() throws Exception {
    for (String target : new String[] {"/api/files/docs/%zz", "/api/files/docs/a%2F..%2F..%2Fx"}) {
      Raw r = send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      assertTrue(r.status() >= 400 && r.status() < 500, target + " -> " + r);
      assertSecurityHeaders(r);
      assertTrue(r.headers().get("content-type").startsWith("application/json"), r.toString());
      assertFalse(r.json().path("error").asText().isBlank(), r.body());
    }
  }

  @Test
  void anUnknownRouteAndAMissingTokenHaveTheSecurityHeaders() throws Exception {
    Raw missing = send("GET /nothing HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertEquals(404, missing.status(), missing.body());
    assertSecurityHeaders(missing);
    Raw refused = send("POST /api/sync HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertEquals(401, refused.status(), refused.body());
    assertSecurityHeaders(refused);
  }

  private static void assertSecurityHeaders(Raw r) {
    HttpApi.SECURITY_HEADERS.forEach(
        (name, value) ->
            assertEquals(value, r.headers().get(name.toLowerCase(Locale.ROOT)), name + " on " + r));
  }

  /** Writes {@code request} as it is and reads the answer until the server closes or it ends. */
  private static Raw send(String request) throws IOException {
    try (var socket = new Socket("127.0.0.1", s.base.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      var headers = new LinkedHashMap<String, String>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).strip());
      }
      String body;
      if (headers.containsKey("content-length")) {
        body =
            new String(
                in.readNBytes(Integer.parseInt(headers.get("content-length"))),
                StandardCharsets.UTF_8);
      } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        body = readChunked(in);
      } else {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return new Raw(status, headers, body);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    var head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) throw new IOException("the server closed before the end of the headers: " + head);
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    return text.substring(0, text.length() - 4);
  }

  private static String readChunked(InputStream in) throws IOException {
    var body = new ByteArrayOutputStream();
    while (true) {
      String size = readLine(in);
      int n = Integer.parseInt(size.split(";")[0].strip(), 16);
      if (n == 0) {
        return body.toString(StandardCharsets.UTF_8);
      }
      body.write(in.readNBytes(n));
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    var line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
      if (b != '\r') line.write(b);
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }
}
