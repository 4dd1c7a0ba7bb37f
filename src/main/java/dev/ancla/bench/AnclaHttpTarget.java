package dev.ancla.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./ancla serve} as a user runs it (the launcher, its JVM flags and start-up cache) on a
 * copy of a synthetic index, with an empty source folder, queried with {@code POST /api/search}: by
 * the baseline's query vectors, or by text (hybrid: the model embeds each query).
 */
final class AnclaHttpTarget implements HttpTarget {
  /** What the queries carry. */
  enum Queries {
    VECTOR,
    TEXT
  }

  /** Words of each text query, taken from the start of a synthetic doc's text. */
  private static final int TEXT_QUERY_WORDS = 6;

  private final String launcher;
  private final Path dataDir;
  private final Path emptySources;
  private final Path log;
  private final Map<String, String> env;
  private final Queries queries;
  private final SyntheticCorpus corpus;
  private final int k;

  /**
   * @param dataDir a data directory whose index is complete (so serve starts no sync)
   * @param log where the server's stdout and stderr go
   * @param env extra variables for the child, e.g. ANCLA_JAVA_OPTS
   */
  AnclaHttpTarget(
      String launcher,
      Path dataDir,
      Path emptySources,
      Path log,
      Map<String, String> env,
      Queries queries,
      SyntheticCorpus corpus,
      int k) {
    this.launcher = launcher;
    this.dataDir = dataDir;
    this.emptySources = emptySources;
    this.log = log;
    this.env = Map.copyOf(env);
    this.queries = queries;
    this.corpus = corpus;
    this.k = k;
  }

  @Override
  public String name() {
    return queries == Queries.VECTOR ? "ancla" : "ancla-text";
  }

  @Override
  public ProcessBuilder command(int port) {
    var command = new ArrayList<>(List.of(launcher.split(" ")));
    command.add("serve");
    var builder = new ProcessBuilder(command);
    var childEnv = builder.environment();
    // nothing inherited may switch on auth, snapshots or another configuration
    childEnv.keySet().removeIf(name -> name.startsWith("ANCLA_") || name.startsWith("AWS_"));
    childEnv.put("ANCLA_DATA_DIR", dataDir.toString());
    childEnv.put("ANCLA_SOURCES", emptySources.toString());
    childEnv.put("ANCLA_HOST", "127.0.0.1");
    childEnv.put("ANCLA_PORT", String.valueOf(port));
    childEnv.put(
        "ANCLA_LANGUAGE", SyntheticIndex.LANGUAGE.name().toLowerCase(java.util.Locale.ROOT));
    childEnv.putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    return builder;
  }

  @Override
  public URI readiness(URI base) {
    return base.resolve("/readyz");
  }

  @Override
  public Session open(LoopbackClient client, URI base) {
    URI search = base.resolve("/api/search");
    return new Session() {
      @Override
      public String body(int q) {
        var json = new StringBuilder(4096);
        if (queries == Queries.VECTOR) {
          LoopbackClient.appendVector(json.append("{\"vector\":"), corpus.queryVector(q));
        } else {
          json.append("{\"q\":").append(BenchJson.write(textQuery(q)));
        }
        return json.append(",\"k\":").append(k).append('}').toString();
      }

      @Override
      public List<Integer> send(String body) throws IOException {
        LoopbackClient.Response response = client.postJson(search, body);
        JsonNode results = response.json().path("results");
        if (response.status() != 200 || results.size() != k) {
          throw new IOException(
              "POST /api/search answered " + response.status() + ": " + response.json());
        }
        var ids = new ArrayList<Integer>(k);
        for (JsonNode hit : results) {
          if (hit.path("text").asText().isEmpty()) {
            throw new IOException("a hit without its text: " + hit);
          }
          ids.add(SyntheticCorpus.docIndex(hit.path("path").asText(), hit.path("chunk").asInt()));
        }
        return ids;
      }
    };
  }

  /** The first words of doc {@code q}'s text: a query BM25 and the model both have work with. */
  String textQuery(int q) {
    String[] words = corpus.docText(q).split(" ", TEXT_QUERY_WORDS + 1);
    return String.join(" ", List.of(words).subList(0, TEXT_QUERY_WORDS));
  }

  /** The index was opened as it is, and no job (a sync) ran: only the queries touched it. */
  @Override
  public void check(LoopbackClient client, URI base) throws IOException {
    String boot = client.get(base.resolve("/readyz")).json().path("boot").asText();
    JsonNode status = client.get(base.resolve("/api/status")).json();
    if (!boot.startsWith("opened")
        || !status.path("job").isNull()
        || !status.path("lastJob").isNull()) {
      throw new IOException(
          "the server did more than open the index (boot \""
              + boot
              + "\", job "
              + status.path("job")
              + ", last job "
              + status.path("lastJob")
              + "); is the index complete, and ANCLA_SOURCES empty?");
    }
  }

  /** SIGTERM, what a platform sends. */
  @Override
  public void stop(Process process) {
    process.destroy();
  }
}
