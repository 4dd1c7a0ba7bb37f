package dev.ancla.server;

import dev.ancla.config.Config;
import dev.ancla.index.RegistryEntry;
import dev.ancla.source.Fetched;
import dev.ancla.source.Source;
import dev.ancla.source.SourceException;
import dev.ancla.source.SourceItem;
import io.javalin.http.Context;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code GET /api/files/{source}/<path>}: the original of an indexed item, so that a citation can
 * link to it (PDFs with {@code #page=N}). The bytes come through the item's source: a folder's file
 * (its real path, symbolic links resolved, must lie inside the root), an S3 object streamed through
 * Ancla (the bucket stays private). An item with a link of its own (a Drive file) is a redirect to
 * it. An item is served only when the registry knows it: a request can never read anything that was
 * not indexed.
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
  private final long maxBytes;

  FileRoutes(ServerState state, Config config) {
    this.state = state;
    this.maxBytes = config.limits().maxFileBytes();
  }

  void file(Context ctx) throws Exception {
    Params.allowOnly(ctx, Set.of(), EXAMPLE);
    String source = ctx.pathParam("source");
    String path = ctx.pathParam("path");
    var ancla = state.require().ancla();
    List<Source> sources = ancla.sources();
    Source from =
        sources.stream()
            .filter(s -> s.id().equals(source))
            .findFirst()
            .orElseThrow(
                () ->
                    ApiError.notFound(
                        "no source '"
                            + Params.abbreviate(source)
                            + "'; the sources are "
                            + String.join(", ", sources.stream().map(Source::id).sorted().toList())
                            + ", e.g. "
                            + EXAMPLE));
    RegistryEntry entry =
        ancla.index().registryEntryAt(source, path).orElseThrow(() -> notIndexed(source, path));
    if (entry.link().isPresent()) {
      ctx.redirect(entry.link().get().toString()); // a Drive file opens in Drive
      return;
    }
    Fetched fetched;
    try {
      fetched = from.fetch(itemOf(entry), maxBytes);
    } catch (SourceException e) {
      // a folder file deleted since the sync is "not found"; a remote source that fails is down
      if (from.kind().equals("folder")) {
        throw notIndexed(source, path);
      }
      throw ApiError.unavailable(
          "the original of '"
              + Params.abbreviate(path)
              + "' cannot be read now: "
              + e.getMessage());
    }
    String type = contentType(entry.mediaType(), path);
    String name = path.substring(path.lastIndexOf('/') + 1);
    ctx.status(200);
    ctx.contentType(type);
    ctx.header("Content-Disposition", "inline; filename*=UTF-8''" + rfc5987(name));
    ctx.header("Content-Security-Policy", type.equals("application/pdf") ? PDF : SANDBOX);
    // No Content-Length: Javalin gzips the stream when the client accepts it (every browser does),
    // and a length of the file's own bytes then makes Jetty fail the response ("written < length").
    ctx.result(open(fetched)); // Javalin closes it after writing, which closes the fetched file
  }

  private static SourceItem itemOf(RegistryEntry entry) {
    return new SourceItem(
        entry.id(),
        entry.path(),
        entry.version(),
        entry.size(),
        Optional.empty(),
        entry.contentHint(),
        entry.link());
  }

  /** The fetched file's bytes; closing the stream releases the fetch (a temporary file goes). */
  private static InputStream open(Fetched fetched) throws IOException {
    InputStream in;
    try {
      in = Files.newInputStream(fetched.file());
    } catch (IOException e) {
      fetched.close();
      throw e;
    }
    return new FilterInputStream(in) {
      @Override
      public void close() throws IOException {
        try (fetched) {
          super.close();
        }
      }
    };
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
