package dev.ancla.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ChromaDB as the baseline runs it: {@code chroma run --path DATA --host 127.0.0.1 --port P} from
 * the baseline's install (through its private glibc's loader when the baseline needed one), on the
 * collection the baseline ingested; queried through its REST API v2 ({@code POST
 * .../collections/{id}/query} with {@code query_embeddings}), with the JS client's default {@code
 * include}: documents, metadatas and distances. Stopped with SIGINT: on SIGTERM it does not exit
 * (baseline README).
 */
final class ChromaHttpTarget implements HttpTarget {
  private static final String COLLECTIONS =
      "/api/v2/tenants/default_tenant/databases/default_database/collections/";
  private static final String COLLECTION = "bench";

  private final Path baseline;
  private final Path collection;
  private final Path log;
  private final SyntheticCorpus corpus;
  private final int k;

  /**
   * @param baseline the CHROMA_BASELINE_DIR of a finished {@code run.sh N}
   * @param n the N of the collection
   */
  ChromaHttpTarget(Path baseline, int n, Path log, SyntheticCorpus corpus, int k)
      throws IOException {
    this.baseline = baseline;
    this.collection = baseline.resolve("data").resolve("chroma-n" + n + "-seed" + corpus.seed());
    this.log = log;
    this.corpus = corpus;
    this.k = k;
    if (!Files.isDirectory(collection)) {
      throw new IOException(
          collection
              + " is missing; run the baseline's run.sh "
              + n
              + " with this directory first");
    }
  }

  @Override
  public String name() {
    return "chroma";
  }

  @Override
  public ProcessBuilder command(int port) throws IOException {
    Path cli = baseline.resolve("install/node_modules/chromadb/dist/cli.mjs");
    Path loader = baseline.resolve("glibc/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
    var command = new ArrayList<String>();
    if (Files.isExecutable(loader)) {
      command.addAll(List.of(loader.toString(), "--library-path", loader.getParent().toString()));
    }
    command.addAll(
        List.of(
            node().toString(),
            cli.toString(),
            "run",
            "--path",
            collection.toString(),
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(port)));
    var builder = new ProcessBuilder(command);
    builder.environment().put("NO_COLOR", "1");
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    return builder;
  }

  /** The loader needs node's path, not a name to look up. */
  private static Path node() throws IOException {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "node");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IOException("node is not on the PATH; the Chroma baseline runs on Node");
  }

  @Override
  public URI readiness(URI base) {
    return base.resolve("/api/v2/heartbeat");
  }

  @Override
  public Session open(LoopbackClient client, URI base) throws IOException {
    LoopbackClient.Response found = client.get(base.resolve(COLLECTIONS + COLLECTION));
    String id = found.json().path("id").asText();
    if (found.status() != 200 || id.isEmpty()) {
      throw new IOException("no collection \"" + COLLECTION + "\": " + found.json());
    }
    URI query = base.resolve(COLLECTIONS + id + "/query");
    return new Session() {
      @Override
      public String body(int q) {
        var json = new StringBuilder(4096).append("{\"query_embeddings\":[");
        LoopbackClient.appendVector(json, corpus.queryVector(q));
        return json.append("],\"n_results\":")
            .append(k)
            .append(",\"include\":[\"documents\",\"metadatas\",\"distances\"]}")
            .toString();
      }

      @Override
      public List<Integer> send(String body) throws IOException {
        LoopbackClient.Response response = client.postJson(query, body);
        JsonNode ids = response.json().path("ids").path(0);
        JsonNode documents = response.json().path("documents").path(0);
        if (response.status() != 200 || ids.size() != k || documents.size() != k) {
          throw new IOException("query answered " + response.status() + ": " + response.json());
        }
        var docs = new ArrayList<Integer>(k);
        for (int i = 0; i < k; i++) {
          if (documents.get(i).asText().isEmpty()) {
            throw new IOException("a hit without its document: " + ids.get(i));
          }
          docs.add(Integer.parseInt(ids.get(i).asText().substring("doc-".length())));
        }
        return docs;
      }
    };
  }

  /** SIGINT: Chroma's CLI exits on it (and not on SIGTERM). */
  @Override
  public void stop(Process process) throws IOException {
    try {
      new ProcessBuilder("kill", "-INT", String.valueOf(process.pid()))
          .inheritIO()
          .start()
          .waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping Chroma", e);
    }
  }
}
