package dev.ancla.server;

import dev.ancla.config.Config;
import dev.ancla.index.RegistryEntry;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /api/files/{source}/<path>}: the original file of a folder source, so that a citation
 * can link to it (PDFs with {@code #page=N}). A file is served only when the registry knows it and
 * its real path, symbolic links resolved, lies inside the source's root: a request can never read
 * anything that was not indexed.
 *
 * <p>The file is the users' content, not ours, and it is served from Ancla's origin, where the
 * pages keep their tokens. So every answer but a PDF's carries {@code Content-Security-Policy:
 * sandbox} (an HTML document opens in a unique origin without scripts); PDFs are left to the
 * browser's viewer, which a sandbox would block, and cannot run scripts of this origin.
 */
final class FileRoutes {
  static final String SANDBOX =
      "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'";

  /** The browser's PDF viewer is a plugin that object-src or sandbox would block. */
  static final String PDF = "frame-ancestors 'none'";

  private static final String EXAMPLE = "/api/files/samples/guia-de-inicio-rapido.md";

  private final ServerState state;
  private final Map<String, Path> roots;

  FileRoutes(ServerState state, Config config) {
    this.state = state;
    this.roots =
        config.sources().stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    Config.SourceSpec::id, Config.SourceSpec::root, (a, b) -> a));
  }

  void file(Context ctx) throws Exception {
    Params.allowOnly(ctx, Set.of(), EXAMPLE);
    String source = ctx.pathParam("source");
    String path = ctx.pathParam("path");
    Path root = roots.get(source);
    if (root == null) {
      throw ApiError.notFound(
          "no source '"
              + Params.abbreviate(source)
              + "'; the sources are "
              + String.join(", ", roots.keySet().stream().sorted().toList())
              + ", e.g. "
              + EXAMPLE);
    }
    RegistryEntry entry =
        state
            .require()
            .ancla()
            .store()
            .registryEntries(e -> e.source().equals(source) && e.path().equals(path))
            .stream()
            .findFirst()
            .orElseThrow(() -> notIndexed(source, path));
    Path file = inside(root, path).orElseThrow(() -> notIndexed(source, path));
    String type = contentType(entry.mediaType(), path);
    ctx.status(200);
    ctx.contentType(type);
    ctx.header(
        "Content-Disposition",
        "inline; filename*=UTF-8''" + rfc5987(file.getFileName().toString()));
    ctx.header("Content-Security-Policy", type.equals("application/pdf") ? PDF : SANDBOX);
    // No Content-Length: Javalin gzips the stream when the client accepts it (every browser does),
    // and a length of the file's own bytes then makes Jetty fail the response ("written < length").
    ctx.result(Files.newInputStream(file)); // Javalin closes it after writing
  }

  private static ApiError notIndexed(String source, String path) {
    return ApiError.notFound(
        "no indexed file '"
            + Params.abbreviate(path)
            + "' in source '"
            + Params.abbreviate(source)
            + "'; only files listed by /api/documents are served, e.g. "
            + EXAMPLE);
  }

  /** The file's real path when it is a regular file inside {@code root}; empty otherwise. */
  static Optional<Path> inside(Path root, String relative) throws IOException {
    if (relative.isEmpty()
        || relative.indexOf('\0') >= 0
        || relative.startsWith("/")
        || relative.contains("\\")) {
      return Optional.empty();
    }
    Path realRoot = root.toRealPath();
    Path candidate = realRoot.resolve(relative).normalize();
    if (!candidate.startsWith(realRoot) || !Files.exists(candidate)) {
      return Optional.empty();
    }
    Path real = candidate.toRealPath(); // a symbolic link may point out of the root
    return real.startsWith(realRoot) && Files.isRegularFile(real)
        ? Optional.of(real)
        : Optional.empty();
  }

  /**
   * What the browser is told. Plain-text formats are shown as UTF-8 text (a browser would download
   * text/markdown); others keep the type the parser detected, without its parameters.
   */
  static String contentType(String detected, String path) {
    String base =
        detected == null ? "" : detected.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (base.isEmpty() || base.equals("application/octet-stream")) {
      base = BY_EXTENSION.apply(path);
    }
    if (base.equals("text/html") || base.equals("application/xhtml+xml")) {
      return "text/html; charset=utf-8";
    }
    if (base.startsWith("text/")) {
      return "text/plain; charset=utf-8";
    }
    return base;
  }

  private static final Function<String, String> BY_EXTENSION =
      path -> {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".pdf")) return "application/pdf";
        if (lower.endsWith(".html") || lower.endsWith(".htm")) return "text/html";
        if (lower.endsWith(".md") || lower.endsWith(".txt") || lower.endsWith(".csv"))
          return "text/plain";
        return "application/octet-stream";
      };

  private static String rfc5987(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
