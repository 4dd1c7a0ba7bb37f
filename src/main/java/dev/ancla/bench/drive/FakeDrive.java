package dev.ancla.bench.drive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Drive v3 server for tests, on 127.0.0.1 and a free port, with the OAuth token endpoint the
 * service-account key points at. It keeps files in memory with Drive's rules that matter to a
 * client: items are visible only when shared with the service account (or in a shared drive it is a
 * member of), shared-drive items only with the all-drives flags, trashed items are listed unless
 * the query says {@code trashed = false}, pages are short and only {@code nextPageToken} tells that
 * more follow (and only when {@code fields} asks for it), native files export and do not download,
 * export stops at a size limit while the export link does not, and a change feed numbers every
 * change. Faults can be queued: rate limits with or without Retry-After, server errors.
 *
 * <p>Requests are served on many threads with an optional delay each ({@link #latency}), so a
 * benchmark sees parallel downloads overlap as they do against Google (bench drive). Tests and the
 * benchmark share it, which is why it lives in the main tree.
 */
public final class FakeDrive implements AutoCloseable {
  public static final String FOLDER = "application/vnd.google-apps.folder";
  public static final String SHORTCUT = "application/vnd.google-apps.shortcut";
  public static final String EMAIL = "ancla-reader@test-project.iam.gserviceaccount.com";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PARENTS = Pattern.compile("'((?:[^'\\\\]|\\\\.)+)' in parents");

  /** One file, folder or shortcut. Content of a native file is its export. */
  public static final class Node {
    public String id;
    public String name;
    public String mimeType;
    public String parent;
    public byte[] content = new byte[0];
    public String exportType;
    public long version = 1;
    public Instant modified = Instant.parse("2026-01-01T00:00:00Z");
    public boolean trashed;
    public String driveId;
    public String targetId;
    public String targetMime;
    public String resourceKey;
    public boolean exportTooBig;
  }

  public record Fault(int status, String reason, String retryAfter) {}

  private final HttpServer server;
  private final KeyPair key;
  private final Map<String, Node> nodes = new TreeMap<>();
  private final Set<String> shared = new HashSet<>();
  private final Set<String> memberOf = new HashSet<>();
  private final List<String> changeLog = new ArrayList<>(); // index + 1 = change number
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final AtomicInteger apiRequests = new AtomicInteger();
  private final AtomicInteger exportLinkDownloads = new AtomicInteger();
  private final AtomicInteger downloads = new AtomicInteger();
  private final ExecutorService executor =
      Executors.newFixedThreadPool(
          64,
          r -> {
            var thread = new Thread(r, "fake-drive");
            thread.setDaemon(true);
            return thread;
          });
  private volatile long latencyNanos;
  private final List<String> scopesSeen = new ArrayList<>();
  private final List<String> requestLog = new ArrayList<>();
  private int pageSize = 2;
  private int expiredBelow = 0;
  private int nextId = 1;
  private String token = "";

  /** One key pair for every server in the JVM: generating one takes a noticeable moment. */
  private static final KeyPair TRUSTED = newKeyPair(2048);

  public FakeDrive() throws IOException {
    key = TRUSTED;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** A service-account key whose token_uri is this server, signed by the key it trusts. */
  public String serviceAccountJson() {
    return serviceAccountJson(key);
  }

  /** A well-formed key this server does not trust (as a revoked or deleted key). */
  public String untrustedServiceAccountJson() {
    return serviceAccountJson(
        newKeyPair(1024)); // only ever refused: a short key is quicker to make
  }

  private static KeyPair newKeyPair(int bits) {
    try {
      var generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String serviceAccountJson(KeyPair pair) {
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    var json = new LinkedHashMap<String, String>();
    json.put("type", "service_account");
    json.put("project_id", "test-project");
    json.put("private_key_id", "k1");
    json.put("private_key", pem);
    json.put("client_email", EMAIL);
    json.put("client_id", "1234567890");
    json.put("token_uri", url() + "token");
    try {
      return JSON.writeValueAsString(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- state a test sets up and changes ----

  public synchronized Node folder(String name, String parent) {
    return add(name, FOLDER, parent, null, null);
  }

  public synchronized Node file(String name, String parent, String mimeType, byte[] content) {
    return add(name, mimeType, parent, content, null);
  }

  public synchronized Node nativeFile(
      String name, String parent, String mimeType, String exportType, byte[] export) {
    Node node = add(name, mimeType, parent, export, null);
    node.exportType = exportType;
    return node;
  }

  public synchronized Node shortcut(String name, String parent, Node target) {
    Node node = add(name, SHORTCUT, parent, null, null);
    node.targetId = target.id;
    node.targetMime = target.mimeType;
    changed(node);
    return node;
  }

  /** A shortcut to an id that does not exist. */
  public synchronized Node danglingShortcut(String name, String parent) {
    Node node = add(name, SHORTCUT, parent, null, null);
    node.targetId = "missing-" + node.id;
    node.targetMime = "application/pdf";
    return node;
  }

  public synchronized Node sharedDrive(String name) {
    Node drive = add(name, FOLDER, null, null, null);
    drive.driveId = drive.id;
    return drive;
  }

  private Node add(String name, String mimeType, String parent, byte[] content, String unused) {
    Node node = new Node();
    node.id = "f" + (nextId++) + "x" + Integer.toHexString(name.hashCode());
    node.name = name;
    node.mimeType = mimeType;
    node.parent = parent;
    node.content = content == null ? new byte[0] : content;
    if (parent != null && nodes.containsKey(parent)) {
      node.driveId = nodes.get(parent).driveId;
    }
    nodes.put(node.id, node);
    changed(node);
    return node;
  }

  public synchronized Node childNamed(String parent, String name) {
    return nodes.values().stream()
        .filter(n -> parent.equals(n.parent) && name.equals(n.name) && !n.trashed)
        .findFirst()
        .orElse(null);
  }

  public synchronized Node node(String id) {
    return nodes.get(id);
  }

  public synchronized void share(String id) {
    shared.add(id);
  }

  public synchronized void member(String driveId) {
    memberOf.add(driveId);
  }

  public synchronized void update(Node node, byte[] content) {
    node.content = content;
    node.version++;
    node.modified = node.modified.plusSeconds(60);
    changed(node);
  }

  /** A version bump without a content change (as a sharing change does). */
  public synchronized void touch(Node node) {
    node.version++;
    changed(node);
  }

  public synchronized void rename(Node node, String name) {
    node.name = name;
    node.version++;
    changed(node);
  }

  /** A move changes parents, not modifiedTime. */
  public synchronized void move(Node node, String parent) {
    node.parent = parent;
    node.version++;
    changed(node);
  }

  public synchronized void trash(Node node) {
    node.trashed = true;
    node.version++;
    changed(node);
  }

  /** Permanent deletion: the node and everything under it. */
  public synchronized void delete(Node node) {
    for (Node child : List.copyOf(nodes.values())) {
      if (node.id.equals(child.parent)) {
        delete(child);
      }
    }
    nodes.remove(node.id);
    changeLog.add(node.id);
  }

  private void changed(Node node) {
    changeLog.add(node.id);
  }

  public synchronized void pageSize(int size) {
    pageSize = size;
  }

  /** Every change token given so far is rejected from now on (as after a long outage). */
  public synchronized void expireTokens() {
    expiredBelow = changeLog.size() + 2;
  }

  public synchronized void fail(Fault fault, int times) {
    for (int i = 0; i < times; i++) {
      faults.add(fault);
    }
  }

  public int apiRequests() {
    return apiRequests.get();
  }

  /** Every request, token requests included, waits this long before it is answered. */
  public void latency(Duration delay) {
    latencyNanos = delay.toNanos();
  }

  /** Contents served: media downloads, exports and export-link downloads. */
  public int downloads() {
    return downloads.get();
  }

  public int exportLinkDownloads() {
    return exportLinkDownloads.get();
  }

  public synchronized List<String> scopesSeen() {
    return List.copyOf(scopesSeen);
  }

  public synchronized List<String> requestLog() {
    return List.copyOf(requestLog);
  }

  public synchronized void clearRequestLog() {
    requestLog.clear();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- HTTP ----

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      long delay = latencyNanos;
      if (delay > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(delay); // outside the lock: parallel requests overlap
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      String path = exchange.getRequestURI().getRawPath();
      if (path.startsWith("/download/")) {
        path = path.substring("/download".length()); // media downloads go to the download host path
      }
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      if (path.equals("/token")) {
        token(exchange);
        return;
      }
      synchronized (this) {
        apiRequests.incrementAndGet();
        requestLog.add(
            exchange.getRequestMethod()
                + " "
                + path
                + "?"
                + exchange.getRequestURI().getRawQuery());
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (token.isEmpty() || !("Bearer " + token).equals(auth)) {
          error(
              exchange, 401, "authError", "Request had invalid authentication credentials.", null);
          return;
        }
        Fault fault = faults.poll();
        if (fault != null) {
          error(exchange, fault.status(), fault.reason(), "fault", fault.retryAfter());
          return;
        }
        route(exchange, path, query);
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      throw e;
    }
  }

  private void route(HttpExchange exchange, String path, Map<String, String> query)
      throws IOException {
    if (path.equals("/drive/v3/files")) {
      list(exchange, query);
    } else if (path.equals("/drive/v3/changes/startPageToken")) {
      if (query.containsKey("driveId") && !"true".equals(query.get("supportsAllDrives"))) {
        error(exchange, 403, "teamDrivesParameterRequired", "supportsAllDrives needed", null);
        return;
      }
      json(
          exchange,
          200,
          Map.of(
              "kind",
              "drive#startPageToken",
              "startPageToken",
              String.valueOf(changeLog.size() + 1)));
    } else if (path.equals("/drive/v3/changes")) {
      changes(exchange, query);
    } else if (path.startsWith("/drive/v3/drives/")) {
      String id = path.substring("/drive/v3/drives/".length());
      if (memberOf.contains(id) && nodes.containsKey(id)) {
        json(exchange, 200, Map.of("id", id, "name", nodes.get(id).name));
      } else {
        error(exchange, 404, "notFound", "Shared drive not found: " + id, null);
      }
    } else if (path.startsWith("/export/")) {
      Node node =
          visibleNode(
              exchange, path.substring("/export/".length()), Map.of("supportsAllDrives", "true"));
      if (node != null) {
        exportLinkDownloads.incrementAndGet();
        downloads.incrementAndGet();
        bytes(exchange, node.exportType, node.content);
      }
    } else if (path.startsWith("/drive/v3/files/")) {
      String rest = path.substring("/drive/v3/files/".length());
      boolean export = rest.endsWith("/export");
      String id = export ? rest.substring(0, rest.length() - "/export".length()) : rest;
      Node node = visibleNode(exchange, id, query);
      if (node == null) {
        return;
      }
      if (export) {
        if (node.exportType == null) {
          error(
              exchange, 403, "fileNotExportable", "Export only supports Docs Editors files.", null);
        } else if (!node.exportType.equals(query.get("mimeType"))) {
          error(
              exchange,
              400,
              "badRequest",
              "unsupported export type " + query.get("mimeType"),
              null);
        } else if (node.exportTooBig) {
          error(
              exchange,
              403,
              "exportSizeLimitExceeded",
              "This file is too large to be exported.",
              null);
        } else {
          downloads.incrementAndGet();
          bytes(exchange, node.exportType, node.content);
        }
      } else if ("media".equals(query.get("alt"))) {
        if (node.exportType != null || node.mimeType.startsWith("application/vnd.google-apps.")) {
          error(
              exchange,
              403,
              "fileNotDownloadable",
              "Only files with binary content can be downloaded. Use Export with Docs Editors files.",
              null);
        } else {
          downloads.incrementAndGet();
          bytes(exchange, node.mimeType, node.content);
        }
      } else {
        json(exchange, 200, resource(node));
      }
    } else {
      error(exchange, 404, "notFound", "no such endpoint " + path, null);
    }
  }

  private Node visibleNode(HttpExchange exchange, String rawId, Map<String, String> query)
      throws IOException {
    String id = URLDecoder.decode(rawId, StandardCharsets.UTF_8);
    Node node = nodes.get(id);
    if (node == null || !visible(node, query)) {
      error(exchange, 404, "notFound", "File not found: " + id + ".", null);
      return null;
    }
    if (node.resourceKey != null && !shared.contains(node.id)) {
      String keys = exchange.getRequestHeaders().getFirst("X-Goog-Drive-Resource-Keys");
      if (keys == null || !keys.contains(node.id + "/" + node.resourceKey)) {
        error(
            exchange, 404, "notFound", "File not found: " + id + ". (resource key missing)", null);
        return null;
      }
    }
    return node;
  }

  private boolean visible(Node node, Map<String, String> query) {
    if (node.driveId != null) {
      return memberOf.contains(node.driveId) && "true".equals(query.get("supportsAllDrives"));
    }
    var seen = new HashSet<String>();
    for (Node at = node;
        at != null && seen.add(at.id);
        at = at.parent == null ? null : nodes.get(at.parent)) {
      if (shared.contains(at.id)) {
        return true;
      }
    }
    return node.resourceKey != null; // link-shared: readable with its resource key
  }

  private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
    String q = query.getOrDefault("q", "");
    Matcher m = PARENTS.matcher(q);
    if (!m.find()) {
      error(
          exchange,
          400,
          "invalid",
          "this fake only answers \"'ID' in parents\" queries: " + q,
          null);
      return;
    }
    String parent = m.group(1).replace("\\'", "'");
    boolean notTrashed = q.contains("trashed = false") || q.contains("trashed=false");
    Node folder = nodes.get(parent);
    var children = new ArrayList<Node>();
    boolean allDrives =
        "true".equals(query.get("supportsAllDrives"))
            && "true".equals(query.get("includeItemsFromAllDrives"));
    if (folder != null && visible(folder, query)) {
      for (Node node : nodes.values()) {
        boolean sharedDriveItem = node.driveId != null;
        if (parent.equals(node.parent)
            && !(notTrashed && node.trashed)
            && (!sharedDriveItem || allDrives)) {
          children.add(node);
        }
      }
    }
    int offset =
        query.containsKey("pageToken") ? Integer.parseInt(query.get("pageToken").substring(1)) : 0;
    int size = Math.min(pageSize, Integer.parseInt(query.getOrDefault("pageSize", "100")));
    var page =
        children.subList(
            Math.min(offset, children.size()), Math.min(offset + size, children.size()));
    var body = new LinkedHashMap<String, Object>();
    body.put("kind", "drive#fileList");
    body.put("files", page.stream().map(this::resource).toList());
    boolean more = offset + size < children.size();
    if (more && query.getOrDefault("fields", "nextPageToken").contains("nextPageToken")) {
      body.put("nextPageToken", "p" + (offset + size));
    }
    json(exchange, 200, body);
  }

  private void changes(HttpExchange exchange, Map<String, String> query) throws IOException {
    String raw = query.getOrDefault("pageToken", "");
    int start;
    int offset = 0;
    try {
      String[] parts = raw.split(":");
      start = Integer.parseInt(parts[0]);
      if (parts.length > 1) {
        offset = Integer.parseInt(parts[1]);
      }
    } catch (NumberFormatException e) {
      error(exchange, 400, "invalid", "Invalid Value", null);
      return;
    }
    if (start < expiredBelow || start < 1 || start > changeLog.size() + 1) {
      error(exchange, 400, "invalid", "Invalid Value", null);
      return;
    }
    String driveId = query.get("driveId");
    var latest = new LinkedHashMap<String, Integer>(); // file id to its last change
    for (int i = start - 1; i < changeLog.size(); i++) {
      String id = changeLog.get(i);
      latest.remove(id);
      latest.put(id, i);
    }
    var entries = new ArrayList<Map<String, Object>>();
    for (String id : latest.keySet()) {
      Node node = nodes.get(id);
      if (driveId != null && (node == null || !driveId.equals(node.driveId))) {
        continue;
      }
      var change = new LinkedHashMap<String, Object>();
      change.put("kind", "drive#change");
      change.put("changeType", "file");
      change.put("fileId", id);
      if (node == null || !visible(node, query)) {
        change.put("removed", true);
      } else {
        change.put("removed", false);
        change.put("file", resource(node));
      }
      entries.add(change);
    }
    int size = Math.min(pageSize, Integer.parseInt(query.getOrDefault("pageSize", "100")));
    var page =
        entries.subList(Math.min(offset, entries.size()), Math.min(offset + size, entries.size()));
    var body = new LinkedHashMap<String, Object>();
    body.put("kind", "drive#changeList");
    body.put("changes", page);
    if (offset + size < entries.size()) {
      body.put("nextPageToken", start + ":" + (offset + size));
    } else {
      body.put("newStartPageToken", String.valueOf(changeLog.size() + 1));
    }
    json(exchange, 200, body);
  }

  private Map<String, Object> resource(Node node) {
    var file = new LinkedHashMap<String, Object>();
    file.put("kind", "drive#file");
    file.put("id", node.id);
    file.put("name", node.name);
    file.put("mimeType", node.mimeType);
    if (node.parent != null) {
      file.put("parents", List.of(node.parent));
    }
    file.put("modifiedTime", node.modified.toString());
    file.put("version", String.valueOf(node.version));
    file.put("trashed", node.trashed);
    file.put("webViewLink", "https://drive.google.com/file/d/" + node.id + "/view");
    if (node.driveId != null) {
      file.put("driveId", node.driveId);
    }
    if (node.resourceKey != null) {
      file.put("resourceKey", node.resourceKey);
    }
    if (node.targetId != null) {
      Node target = nodes.get(node.targetId);
      var details = new LinkedHashMap<String, Object>();
      details.put("targetId", node.targetId);
      details.put("targetMimeType", node.targetMime);
      if (target != null && target.resourceKey != null) {
        details.put("targetResourceKey", target.resourceKey);
      }
      file.put("shortcutDetails", details);
    }
    boolean binary = !node.mimeType.startsWith("application/vnd.google-apps.");
    if (binary) {
      file.put("size", String.valueOf(node.content.length));
      file.put("md5Checksum", md5(node.content));
    }
    if (node.exportType != null) {
      file.put(
          "exportLinks",
          Map.of(node.exportType, url() + "export/" + node.id + "?mimeType=" + node.exportType));
    }
    return file;
  }

  private void token(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String assertion = query(body).getOrDefault("assertion", "");
    String[] parts = assertion.split("\\.");
    try {
      var verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify((PublicKey) key.getPublic());
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (parts.length != 3 || !verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        tokenError(exchange);
        return;
      }
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      synchronized (this) {
        scopesSeen.add(claims.path("scope").asText());
        token = "tok-" + System.nanoTime();
        json(
            exchange,
            200,
            Map.of("access_token", token, "expires_in", 3600, "token_type", "Bearer"));
      }
    } catch (Exception e) {
      tokenError(exchange);
    }
  }

  private void tokenError(HttpExchange exchange) throws IOException {
    json(
        exchange,
        400,
        Map.of("error", "invalid_grant", "error_description", "Invalid JWT Signature."));
  }

  private static void error(
      HttpExchange exchange, int status, String reason, String message, String retryAfter)
      throws IOException {
    if (retryAfter != null) {
      exchange.getResponseHeaders().set("Retry-After", retryAfter);
    }
    json(
        exchange,
        status,
        Map.of(
            "error",
            Map.of(
                "code", status,
                "message", message,
                "errors",
                    List.of(
                        Map.of("domain", "usageLimits", "reason", reason, "message", message)))));
  }

  private static void json(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void bytes(HttpExchange exchange, String type, byte[] content) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(200, content.length == 0 ? -1 : content.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(content);
    }
  }

  private static Map<String, String> query(String raw) {
    var map = new LinkedHashMap<String, String>();
    if (raw == null || raw.isEmpty()) {
      return map;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      map.put(k, v);
    }
    return map;
  }

  public static String md5(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
