package dev.ancla.server;

import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
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

  static void configure(JavalinConfig cfg) {
    cfg.staticFiles.add(
        files -> {
          files.hostedPath = "/static";
          files.directory = "/web";
          files.location = Location.CLASSPATH;
          files.headers =
              Map.of("Content-Security-Policy", CSP, "X-Content-Type-Options", "nosniff");
        });
  }

  static void register(RoutesConfig routes) {
    PAGES.forEach(
        (path, file) -> {
          byte[] html = read(file); // at start: a missing page fails the boot, not a request
          routes.get(path, ctx -> page(ctx, html));
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
