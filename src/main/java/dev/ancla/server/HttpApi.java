package dev.ancla.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ancla.config.Config;
import dev.ancla.openai.ServiceException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of Ancla (Javalin on Jetty): routes, authentication, error answers. Every error is
 * JSON, {@code {"error": "..."}}, with the status that fits: 400 bad input, 401/403 tokens, 404
 * unknown route, 405 wrong method, 409 busy, 413 too large, 502/504 a model's service failed or
 * timed out, 503 not ready.
 */
final class HttpApi {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  /** Request bodies are small JSON objects; anything larger than this is refused outright. */
  static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final Javalin app;

  private HttpApi(Javalin app) {
    this.app = app;
  }

  /** The parts the routes use, built by {@link AnclaServer}. */
  record Parts(
      Config config,
      ServerState state,
      Auth auth,
      Metrics metrics,
      ProgressEvents events,
      java.time.Clock clock) {}

  /**
   * Jetty sizes the padding of its queues by the JVM's reference width, and unless this property
   * says it, asks the platform MBean server, which starts all of JMX: about a tenth of the server's
   * start-up. 16 references of 4 bytes fill a 64-byte cache line: compressed references, the JVM's
   * default below 32 GB of heap. Padding is only about speed; a wrong guess costs nothing else.
   */
  static final String JETTY_REFERENCES_PER_CACHE_LINE =
      "org.eclipse.jetty.util.referencesPerCacheLine";

  /** Starts listening on the configured host and port (0: a free port) and returns at once. */
  static HttpApi start(Parts parts) {
    if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null) {
      System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, "16");
    }
    var search = new SearchRoutes(parts.state(), parts.metrics());
    var status = new StatusRoutes(parts.state(), parts.config(), parts.clock());
    var admin = new AdminRoutes(parts.state());
    var files = new FileRoutes(parts.state(), parts.config());
    var ask = new AskRoutes(parts.state(), parts.metrics());
    var openAi = new OpenAiRoutes(parts.state());
    Auth auth = parts.auth();
    Javalin app =
        Javalin.create(
            cfg -> {
              configure(cfg, parts.config().server());
              var routes = cfg.routes;
              // headers first: a refused request (413 below, 401 in a handler) carries them too
              routes.before(HttpApi::securityHeaders);
              routes.before(HttpApi::limitSize);
              routes.after(HttpApi::noCache);
              routes.get("/healthz", status::health);
              routes.get("/readyz", status::ready);
              routes.get("/metrics", ctx -> metrics(ctx, parts.metrics()));
              routes.get("/api/search", auth.api(search::search));
              routes.post("/api/search", auth.api(search::searchByBody));
              routes.get("/api/status", auth.api(status::status));
              routes.post("/api/ask", auth.api(ask::ask));
              routes.get("/v1/models", auth.api(openAi::models));
              routes.get("/v1/models/{id}", auth.api(openAi::model));
              routes.post("/v1/chat/completions", auth.api(openAi::completions));
              routes.before("/api/events", auth::requireApi);
              routes.before("/api/events", HttpApi::requireEventStream);
              routes.sse("/api/events", parts.events()::connect);
              routes.post("/api/sync", auth.admin(admin::sync));
              routes.post("/api/reindex", auth.admin(admin::reindex));
              routes.get("/api/snapshots", auth.admin(admin::snapshotList));
              routes.post("/api/snapshots", auth.admin(admin::snapshotNow));
              routes.get("/api/documents", auth.admin(admin::list));
              routes.get("/api/documents/{source}/<path>", auth.admin(admin::one));
              routes.get("/api/files/{source}/<path>", auth.api(files::file));
              Pages.register(routes);
              routes.exception(ApiError.class, (e, ctx) -> ctx.status(e.status()).json(e.body()));
              routes.exception(HttpResponseException.class, HttpApi::javalinError);
              routes.exception(Exception.class, HttpApi::unexpected);
            });
    var server = parts.config().server();
    app.start(server.host(), server.port());
    return new HttpApi(app);
  }

  private static void configure(JavalinConfig cfg, Config.ServerSpec server) {
    cfg.startup.showJavalinBanner = false;
    cfg.startup.showOldJavalinVersionWarning = false;
    cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
    cfg.http.prefer405over404 = true;
    cfg.jsonMapper(
        new JavalinJackson(
            new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS), false));
    // We stop Jetty ourselves, in order, from the shutdown sequence; not from Jetty's own hook.
    cfg.jetty.modifyServer(
        jetty -> {
          jetty.setStopAtShutdown(false);
          jetty.setErrorHandler(new JsonErrorHandler()); // Jetty's own 400, 414, 431 as our JSON
        });
    cfg.requestLogger.http(
        (ctx, ms) ->
            log.debug("{} {} -> {} in {} ms", ctx.method(), ctx.path(), ctx.statusCode(), ms));
    if (!server.corsOrigins().isEmpty()) {
      cfg.bundledPlugins.enableCors(
          cors -> cors.addRule(rule -> allow(rule, server.corsOrigins())));
    }
  }

  private static void allow(
      io.javalin.plugin.bundled.CorsPluginConfig.CorsRule rule, List<String> origins) {
    if (origins.contains("*")) {
      rule.anyHost();
    } else {
      rule.allowHost(origins.getFirst(), origins.subList(1, origins.size()).toArray(String[]::new));
    }
  }

  private static void limitSize(Context ctx) {
    if (ctx.contentLength() > MAX_REQUEST_BYTES) {
      throw ApiError.tooLarge(
          "the request body is "
              + ctx.contentLength()
              + " bytes; at most "
              + MAX_REQUEST_BYTES
              + " are accepted");
    }
  }

  /** Javalin answers an empty 200 to a plain GET of an SSE route; say what is missing instead. */
  private static void requireEventStream(Context ctx) {
    String accept = ctx.header("Accept");
    if (accept == null || !accept.contains("text/event-stream")) {
      throw ApiError.notAcceptable(
          "/api/events is a server-sent event stream; send 'Accept: text/event-stream' (browsers'"
              + " EventSource does), e.g. curl -N -H 'Accept: text/event-stream' .../api/events");
    }
  }

  /**
   * Pages and API alike: no framing, no sniffing, and only our own scripts, styles and data (no
   * inline script, no CDN). {@link FileRoutes} tightens this for users' files.
   */
  private static void securityHeaders(Context ctx) {
    SECURITY_HEADERS.forEach(ctx::header);
  }

  /** On every answer, error pages included ({@link JsonErrorHandler} for Jetty's own). */
  static final Map<String, String> SECURITY_HEADERS =
      Map.of(
          "Content-Security-Policy", Pages.CSP,
          "X-Content-Type-Options", "nosniff",
          "X-Frame-Options", "DENY",
          "Referrer-Policy", "no-referrer");

  private static void noCache(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    ctx.header("X-Content-Type-Options", "nosniff");
  }

  private static void metrics(Context ctx, Metrics metrics) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }

  /** Javalin's own answers (no such route, wrong method, body too large) as our JSON. */
  private static void javalinError(HttpResponseException e, Context ctx) {
    String message =
        switch (e.getStatus()) {
          case 404 ->
              "no such endpoint: "
                  + ctx.method()
                  + " "
                  + ctx.path()
                  + "; the API is under /api (search, ask, status, events, sync, documents, files, snapshots), plus"
                  + " /v1 (OpenAI-compatible), /healthz, /readyz and /metrics; the pages are / (chat) and"
                  + " /admin";
          case 405 -> ctx.method() + " is not allowed on " + ctx.path();
          case 413 ->
              "the request body is too large; at most " + MAX_REQUEST_BYTES + " bytes are accepted";
          default -> e.getMessage();
        };
    ctx.status(e.getStatus()).json(Map.of("error", message));
  }

  private static void unexpected(Exception e, Context ctx) {
    if (e instanceof IllegalArgumentException) { // a caller mistake found deeper down
      ctx.status(400).json(Map.of("error", String.valueOf(e.getMessage())));
      return;
    }
    dev.ancla.index.solr.SolrUnavailable solr =
        causeOf(e, dev.ancla.index.solr.SolrUnavailable.class);
    if (solr != null) { // the index's cluster is down: retry later, as /readyz says
      log.warn("{} {} failed: {}", ctx.method(), ctx.path(), solr.getMessage());
      ctx.status(503).json(Map.of("error", "the index does not answer: " + solr.getMessage()));
      return;
    }
    dev.ancla.index.LocalOnly localOnly = causeOf(e, dev.ancla.index.LocalOnly.class);
    if (localOnly != null) { // a local-index feature while the index is in Solr
      ctx.status(409).json(Map.of("error", localOnly.getMessage()));
      return;
    }
    ServiceException service = causeOf(e, ServiceException.class);
    if (service != null) { // the model's service failed: say which, where and what it said
      log.warn("{} {} failed: {}", ctx.method(), ctx.path(), service.getMessage());
      ctx.status(service.timedOut() ? 504 : 502).json(Map.of("error", service.getMessage()));
      return;
    }
    log.error("{} {} failed", ctx.method(), ctx.path(), e);
    ctx.status(500)
        .json(
            Map.of(
                "error",
                "internal error (" + e.getClass().getSimpleName() + "); see the server log"));
  }

  /** The first throwable of type {@code type} in {@code e}'s chain of causes, or null. */
  static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  int port() {
    return app.port();
  }

  /** Stops taking connections and lets requests in flight finish for up to {@code grace}. */
  void stop(Duration grace) {
    app.jettyServer().server().setStopTimeout(Math.max(1, grace.toMillis()));
    app.stop();
  }
}
