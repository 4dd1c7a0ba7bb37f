package dev.ancla.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The chat page (at {@code /} and {@code /chat}) and the admin page ({@code /admin}): plain HTML,
 * CSS and JavaScript from the classpath folder {@code web/}, no build step and nothing from other
 * origins. Their scripts and styles are served under {@code /static/}.
 */
final class Pages {
  /** Our own scripts, styles and API only; never framed; no inline script or style. */
  static final String CSP =
      "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  private static final Map<String, String> PAGES =
      Map.of("/", "chat.html", "/chat", "chat.html", "/admin", "admin.html");

  private Pages() {}

  /**
   * The scripts and styles under {@code /static/}, with their types. Served from memory by our own
   * routes rather than by Javalin's static-file handler, which builds a second Jetty server and
   * mounts the jar as a file system at start: a tenth of the server's start-up, for a few files.
   */
  private static final Map<String, String> STATIC =
      Map.of(
          "chat.js", "text/javascript; charset=utf-8",
          "admin.js", "text/javascript; charset=utf-8",
          "common.js", "text/javascript; charset=utf-8",
          // markdown-it 15.0.3 (MIT), vendored from npm; web/markdown-it.LICENSE.txt
          "markdown-it.min.js", "text/javascript; charset=utf-8",
          "style.css", "text/css; charset=utf-8");

  static void register(RoutesConfig routes) {
    PAGES.forEach(
        (path, file) -> {
          byte[] html = read(file); // at start: a missing page fails the boot, not a request
          routes.get(path, ctx -> page(ctx, html));
        });
    STATIC.forEach(
        (file, type) -> {
          byte[] bytes = read(file);
          routes.get("/static/" + file, ctx -> ctx.contentType(type).result(bytes));
        });
  }

  private static void page(Context ctx, byte[] html) {
    ctx.contentType("text/html; charset=utf-8").result(html);
  }

  private static byte[] read(String name) {
    try (InputStream in = Pages.class.getResourceAsStream("/web/" + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "web/" + name + " is missing from the classpath; rebuild Ancla");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading web/" + name + " from the classpath", e);
    }
  }
}
