package dev.ancla.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything Ancla can be told, validated once at start. Built by {@link ConfigLoader} from the
 * environment (and an optional file); see the README for each variable and its default.
 *
 * @param dataDir where the index and the lock file live ({@code ANCLA_DATA_DIR})
 * @param sources the folders to index ({@code ANCLA_SOURCES})
 * @param include glob patterns a file's relative path must match ({@code ANCLA_INCLUDE})
 * @param exclude glob patterns that exclude a file ({@code ANCLA_EXCLUDE})
 * @param language analyzer language for full-text search ({@code ANCLA_LANGUAGE})
 * @param chunkTokens largest chunk in model tokens ({@code ANCLA_CHUNK_TOKENS})
 * @param chunkOverlapTokens tokens repeated between consecutive chunks of a section
 * @param checkpointChunks commit after this many new chunks ({@code ANCLA_CHECKPOINT_CHUNKS})
 * @param checkpointInterval and at least this often while indexing
 * @param embedThreads parallel embedding calls ({@code ANCLA_EMBED_THREADS})
 * @param parseThreads parallel parsers ({@code ANCLA_PARSE_THREADS})
 * @param model which embedding model
 * @param limits per-document parsing limits
 * @param server the HTTP server of {@code ancla serve}
 */
public record Config(
    Path dataDir,
    List<SourceSpec> sources,
    List<String> include,
    List<String> exclude,
    Language language,
    int chunkTokens,
    int chunkOverlapTokens,
    int checkpointChunks,
    Duration checkpointInterval,
    int embedThreads,
    int parseThreads,
    ModelSpec model,
    ParseLimitsSpec limits,
    ServerSpec server) {

  public Config {
    sources = List.copyOf(sources);
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
  }

  public Path indexDir() {
    return dataDir.resolve("index");
  }

  /** A folder to index; {@code id} names it in results and is unique among sources. */
  public record SourceSpec(String id, URI uri, Path root) {}

  /** Analyzer language. Spanish is the default; English text is handled well by both. */
  public enum Language {
    ES,
    EN
  }

  /**
   * The embedding model: the bundled MiniLM when {@code directory} is empty, else a user-supplied
   * {@code model.onnx} + {@code tokenizer.json}.
   */
  public record ModelSpec(
      Optional<Path> directory, String pooling, int dimension, int maxTokens) {
    public boolean bundled() {
      return directory.isEmpty();
    }
  }

  /** Per-document limits: files over {@code maxFileBytes} fail, text over {@code maxChars} is cut. */
  public record ParseLimitsSpec(long maxFileBytes, int maxChars, Duration timeout) {}

  /**
   * The HTTP server.
   *
   * @param host interface to listen on ({@code ANCLA_HOST})
   * @param port TCP port; 0 picks a free one ({@code ANCLA_PORT})
   * @param adminToken bearer token for admin operations; empty means they are refused
   * @param apiToken bearer token for search; empty means search is open
   * @param corsOrigins origins allowed to call the API from a browser; empty means CORS is off
   * @param shutdownBudget how long a SIGTERM may take before the process exits
   */
  public record ServerSpec(
      String host,
      int port,
      Optional<String> adminToken,
      Optional<String> apiToken,
      List<String> corsOrigins,
      Duration shutdownBudget) {
    public ServerSpec {
      corsOrigins = List.copyOf(corsOrigins);
    }

    /** Never shows a token: configs end up in logs and error messages. */
    @Override
    public String toString() {
      return "ServerSpec[host="
          + host
          + ", port="
          + port
          + ", adminToken="
          + (adminToken.isPresent() ? "(set)" : "(none)")
          + ", apiToken="
          + (apiToken.isPresent() ? "(set)" : "(none)")
          + ", corsOrigins="
          + corsOrigins
          + ", shutdownBudget="
          + shutdownBudget
          + "]";
    }
  }
}
