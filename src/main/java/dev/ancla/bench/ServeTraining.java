package dev.ancla.bench;

import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.config.ConfigLoader;
import dev.ancla.server.AnclaServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The server's part of the AOT cache's training (server profile): {@code ancla serve} in this JVM
 * on a complete synthetic index, through start, readiness, the search routes (by vector and by
 * text), status and metrics, to shutdown. Without it the cache holds none of Javalin, Jetty,
 * Jackson's serializers or Micrometer, and a server's start loads ~5,000 classes from the jars.
 */
final class ServeTraining {
  private static final int TRAINING_QUERIES = 2000;
  private static final int FIRST_TRAINING_QUERY = 5000;

  private ServeTraining() {}

  /**
   * @param dataDir holds a complete index that no other process writes
   * @param parts the production parts for a configuration
   */
  static void run(Path dataDir, Function<Config, Ancla.Parts> parts, SyntheticCorpus corpus)
      throws IOException {
    Path sources = Files.createTempDirectory("ancla-aot-serve-sources");
    try {
      var env = new HashMap<String, String>();
      env.put("ANCLA_DATA_DIR", dataDir.toString());
      env.put("ANCLA_SOURCES", sources.toString());
      env.put("ANCLA_HOST", "127.0.0.1");
      env.put("ANCLA_PORT", "0");
      env.put("ANCLA_LANGUAGE", SyntheticIndex.LANGUAGE.name().toLowerCase(Locale.ROOT));
      Config config = ConfigLoader.load(env, Runtime.getRuntime().availableProcessors()).config();
      AnclaServer server = AnclaServer.start(config, parts.apply(config), Clock.systemUTC());
      try {
        server.open();
        requests(URI.create("http://127.0.0.1:" + server.port()), corpus);
      } finally {
        server.shutdown();
      }
    } finally {
      Files.delete(sources);
    }
  }

  private static void requests(URI base, SyntheticCorpus corpus) throws IOException {
    var client = new LoopbackClient();
    for (String path : List.of("/healthz", "/readyz", "/api/status", "/metrics")) {
      expectOk(client.get(base.resolve(path)), path);
    }
    // Enough searches for the JIT's profiles (JEP 515: the cache keeps them) to mark the search
    // path hot, so that a new server compiles it early instead of running its first thousand
    // queries in the interpreter. Query vectors the benchmarks do not use.
    for (int q = 0; q < TRAINING_QUERIES; q++) {
      String body =
          LoopbackClient.appendVector(
                  new StringBuilder("{\"vector\":"), corpus.queryVector(FIRST_TRAINING_QUERY + q))
              .append(",\"k\":10}")
              .toString();
      expectOk(client.postJson(base.resolve("/api/search"), body), "POST /api/search");
    }
    expectOk(
        client.postJson(base.resolve("/api/search"), "{\"q\":\"vector search latency\",\"k\":10}"),
        "POST /api/search");
    expectOk(client.get(base.resolve("/api/search?q=vector+search&k=5")), "GET /api/search");
  }

  private static void expectOk(LoopbackClient.Response response, String what) throws IOException {
    if (response.status() != 200) {
      throw new IOException(what + " answered " + response.status() + ": " + response.json());
    }
  }
}
