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
 * @param sources where documents come from ({@code ANCLA_SOURCES}): folders, Drive folders or
 *     shared drives, S3 buckets
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
 * @param snapshots where snapshots go and how they are kept; empty when {@code ANCLA_SNAPSHOT_URL}
 *     is unset
 * @param server the HTTP server of {@code ancla serve}
 * @param llm the chat model that writes answers; empty: answers are extractive ({@code
 *     ANCLA_LLM_URL} unset)
 * @param fetchThreads items fetched from sources at once ({@code ANCLA_FETCH_THREADS}): remote
 *     sources' latency is spent in parallel
 * @param embedApi an OpenAI-compatible embeddings API instead of the in-process model; empty when
 *     {@code ANCLA_EMBED_URL} is unset
 * @param drive how Google Drive sources are read; empty when {@code ANCLA_DRIVE_CREDENTIALS} is
 *     unset
 * @param solr the SolrCloud collection that holds the index instead of the local Lucene index;
 *     empty when {@code ANCLA_INDEX_URL} is unset
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
    Optional<SnapshotSpec> snapshots,
    ServerSpec server,
    Optional<LlmSpec> llm,
    Optional<EmbedApiSpec> embedApi,
    int fetchThreads,
    Optional<DriveSpec> drive,
    Stemmer stemmer,
    Optional<dev.ancla.index.solr.SolrUrl> solr) {

  public Config {
    sources = List.copyOf(sources);
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
  }

  public Path indexDir() {
    return dataDir.resolve("index");
  }

  /**
   * A source of documents; {@code id} names it in results, is unique among sources and is stored
   * with every document, so it must stay the same from one start to the next.
   */
  public sealed interface SourceSpec {
    String id();

    /** For logs, status and errors, e.g. {@code s3://bucket/prefix}. Never a secret. */
    String describe();

    /** A local (or mounted) folder, walked recursively. */
    record Folder(String id, Path root) implements SourceSpec {
      @Override
      public String describe() {
        return root.toString();
      }
    }

    /**
     * A Google Drive folder and everything under it ({@code gdrive:FOLDER_ID}, or a pasted folder
     * URL), or a whole shared drive ({@code gdrive-shared:DRIVE_ID}).
     *
     * @param driveId the folder's id, or the shared drive's id when {@code sharedDrive}
     */
    record Drive(String id, String driveId, boolean sharedDrive) implements SourceSpec {
      @Override
      public String describe() {
        return (sharedDrive ? "gdrive-shared:" : "gdrive:") + driveId;
      }
    }

    /**
     * The objects of an S3-compatible bucket under a prefix ({@code s3://bucket/prefix}).
     *
     * @param prefix no leading or trailing '/', may be empty
     */
    record S3(String id, String bucket, String prefix, S3Connection connection)
        implements SourceSpec {
      @Override
      public String describe() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
      }
    }
  }

  /**
   * How to reach the document buckets ({@code ANCLA_S3_SOURCE_*}), apart from the snapshot store.
   *
   * @param endpoint empty for AWS itself; else e.g. https://fra1.digitaloceanspaces.com
   * @param region e.g. us-east-1, fra1, auto (R2)
   * @param credentials empty: the AWS SDK's default chain (profile, web identity, instance role)
   */
  public record S3Connection(
      Optional<URI> endpoint,
      String region,
      boolean pathStyle,
      Optional<S3Credentials> credentials) {}

  /** Analyzer language. Spanish is the default; English text is handled well by both. */
  public enum Language {
    ES,
    EN
  }

  /**
   * Spanish stemming ({@code ANCLA_STEMMER}): Lucene's light stemmer, or Hunspell with the bundled
   * es_ES dictionary, which finds more (+0.023 MRR for BM25 on held-out Spanish queries) but takes
   * seconds to load once per process (docs/QUALITY.md, fourth pass).
   */
  public enum Stemmer {
    LIGHT,
    HUNSPELL
  }

  /**
   * The embedding model: the bundled MiniLM when {@code directory} is empty, else a user-supplied
   * {@code model.onnx} + {@code tokenizer.json}, with the prefixes it was trained with for queries
   * and passages ("" for none), and the weights its vectors get in hybrid fusion by the query's
   * language (those of the model that embeds, ANCLA_EMBED_URL's included).
   */
  public record ModelSpec(
      Optional<Path> directory,
      String pooling,
      int dimension,
      int maxTokens,
      String queryPrefix,
      String passagePrefix,
      VectorWeights vectorWeights) {
    public boolean bundled() {
      return directory.isEmpty();
    }

    public ModelSpec withVectorWeights(VectorWeights weights) {
      return new ModelSpec(
          directory, pooling, dimension, maxTokens, queryPrefix, passagePrefix, weights);
    }
  }

  /**
   * Per-document limits: files over {@code maxFileBytes} fail, text over {@code maxChars} is cut.
   */
  public record ParseLimitsSpec(long maxFileBytes, int maxChars, Duration timeout) {}

  /**
   * The snapshot store and its policy (ARCHITECTURE.md decision 5).
   *
   * @param target a folder or an S3 bucket and prefix
   * @param keep manifests retention keeps (at least 2, so a restore always has a fallback)
   * @param gcGrace unreferenced blobs younger than this are never collected, so an upload in
   *     progress is safe from a concurrent prune
   * @param debounce quiet time after a commit before the server snapshots it
   * @param shutdownBudget how long a final snapshot may take on SIGTERM
   * @param threads parallel transfers
   * @param leaseTtl how long the writer's lease lasts unless renewed (renewed every third of it)
   * @param followInterval how often a follower polls for a new manifest and an expired lease
   */
  public record SnapshotSpec(
      SnapshotTarget target,
      int keep,
      Duration gcGrace,
      Duration debounce,
      Duration shutdownBudget,
      int threads,
      Duration leaseTtl,
      long scrubBytesPerDay,
      Duration followInterval) {}

  /** Where snapshots live. {@link #toString()} never shows a secret. */
  public sealed interface SnapshotTarget {
    /** A local (or mounted) folder. */
    record Folder(Path root) implements SnapshotTarget {
      @Override
      public String toString() {
        return root.toString();
      }
    }

    /**
     * An S3-compatible bucket.
     *
     * @param prefix no leading or trailing '/', may be empty
     * @param endpoint empty for AWS itself; else e.g. https://fra1.digitaloceanspaces.com
     * @param region e.g. us-east-1, fra1, auto (R2)
     * @param credentials empty: the AWS SDK's default chain (profile, web identity, instance role)
     */
    record S3(
        String bucket,
        String prefix,
        Optional<URI> endpoint,
        String region,
        boolean pathStyle,
        Optional<S3Credentials> credentials,
        StoreTimeouts timeouts)
        implements SnapshotTarget {
      /** A target with the default timeouts. */
      public S3(
          String bucket,
          String prefix,
          Optional<URI> endpoint,
          String region,
          boolean pathStyle,
          Optional<S3Credentials> credentials) {
        this(bucket, prefix, endpoint, region, pathStyle, credentials, StoreTimeouts.DEFAULTS);
      }

      @Override
      public String toString() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
      }
    }
  }

  /**
   * Bounds on every call to a snapshot store, so a hung or unreachable store is an error, never a
   * hang.
   *
   * @param connect to open a connection ({@code ANCLA_SNAPSHOT_CONNECT_TIMEOUT_SECONDS})
   * @param request one attempt of a call without a body, and the longest silence while waiting for
   *     an answer ({@code ANCLA_SNAPSHOT_REQUEST_TIMEOUT_SECONDS})
   * @param total one call, all its retries included ({@code ANCLA_SNAPSHOT_TOTAL_TIMEOUT_SECONDS})
   * @param minBytesPerSecond the slowest transfer still accepted: a call that sends a body gets the
   *     time to send it at this rate on top of {@code request} and {@code total} ({@code
   *     ANCLA_SNAPSHOT_MIN_KIB_PER_SECOND}), so a large blob is never cut by a bound made for a
   *     listing
   */
  public record StoreTimeouts(
      Duration connect, Duration request, Duration total, long minBytesPerSecond) {
    public static final StoreTimeouts DEFAULTS =
        new StoreTimeouts(
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(120), 128 * 1024);

    /** How long one attempt that sends {@code bytes} may take. */
    public Duration attempt(long bytes) {
      return request.plus(transfer(bytes));
    }

    /** How long a call that sends {@code bytes} may take, its retries included. */
    public Duration call(long bytes) {
      return total.plus(transfer(bytes));
    }

    private Duration transfer(long bytes) {
      return Duration.ofMillis(Math.max(0, bytes) * 1000 / minBytesPerSecond);
    }
  }

  /** Static keys from the environment. Never printed: {@link #toString()} hides them. */
  public record S3Credentials(
      String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
    @Override
    public String toString() {
      return "S3Credentials[redacted]";
    }
  }

  /**
   * The HTTP server.
   *
   * @param host interface to listen on ({@code ANCLA_HOST})
   * @param port TCP port; 0 picks a free one ({@code ANCLA_PORT})
   * @param adminToken bearer token for admin operations; empty means they are refused
   * @param apiToken bearer token for search; empty means search is open
   * @param corsOrigins origins allowed to call the API from a browser; empty means CORS is off
   * @param shutdownBudget how long a SIGTERM may take before the process exits
   * @param syncInterval time between scheduled syncs of {@code serve}; zero means only on demand
   *     ({@code ANCLA_SYNC_INTERVAL})
   */
  public record ServerSpec(
      String host,
      int port,
      Optional<String> adminToken,
      Optional<String> apiToken,
      List<String> corsOrigins,
      Duration shutdownBudget,
      Duration syncInterval) {
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
          + ", syncInterval="
          + syncInterval
          + "]";
    }
  }

  /**
   * An OpenAI-compatible chat API ({@code ANCLA_LLM_*}).
   *
   * @param baseUrl e.g. https://api.openai.com/v1; requests go to {@code /chat/completions} under
   *     it
   * @param timeout for the first token and between tokens
   * @param contextTokens budget for the numbered context chunks in the prompt
   * @param historyTokens budget for a conversation's earlier turns in the prompt ({@code
   *     ANCLA_LLM_HISTORY_TOKENS}); 0 sends none
   */
  public record LlmSpec(
      URI baseUrl,
      String model,
      Optional<String> apiKey,
      Duration timeout,
      int contextTokens,
      int historyTokens) {
    /** Never shows the key. */
    @Override
    public String toString() {
      return "LlmSpec[baseUrl="
          + baseUrl
          + ", model="
          + model
          + ", apiKey="
          + (apiKey.isPresent() ? "(set)" : "(none)")
          + ", timeout="
          + timeout
          + ", contextTokens="
          + contextTokens
          + ", historyTokens="
          + historyTokens
          + "]";
    }
  }

  /**
   * An OpenAI-compatible embeddings API ({@code ANCLA_EMBED_*}).
   *
   * @param baseUrl e.g. https://api.openai.com/v1; requests go to {@code /embeddings} under it
   * @param batch texts per request
   * @param dimension the expected vector size, checked against the first response; empty: taken
   *     from it
   * @param requestsPerMinute a client-side limit; empty: none
   */
  public record EmbedApiSpec(
      URI baseUrl,
      String model,
      Optional<String> apiKey,
      int batch,
      java.util.OptionalInt dimension,
      java.util.OptionalInt requestsPerMinute) {
    /** Never shows the key. */
    @Override
    public String toString() {
      return "EmbedApiSpec[baseUrl="
          + baseUrl
          + ", model="
          + model
          + ", apiKey="
          + (apiKey.isPresent() ? "(set)" : "(none)")
          + ", batch="
          + batch
          + ", dimension="
          + dimension
          + ", requestsPerMinute="
          + requestsPerMinute
          + "]";
    }
  }

  /**
   * Google Drive access ({@code ANCLA_DRIVE_*}).
   *
   * @param credentialsJson the service-account key (a secret: never printed)
   * @param clientEmail the service account's e-mail, the one folders are shared with
   * @param subject a user to impersonate with domain-wide delegation; empty: the service account
   *     itself
   * @param apiUrl the Drive API root URL, e.g. https://www.googleapis.com/
   * @param requestsPerSecond the pace of requests to the API ({@code
   *     ANCLA_DRIVE_REQUESTS_PER_SECOND})
   */
  public record DriveSpec(
      String credentialsJson,
      String clientEmail,
      Optional<String> subject,
      URI apiUrl,
      int requestsPerSecond) {
    /** Never shows the key. */
    @Override
    public String toString() {
      return "DriveSpec[credentials=(set), clientEmail="
          + clientEmail
          + ", subject="
          + subject
          + ", apiUrl="
          + apiUrl
          + ", requestsPerSecond="
          + requestsPerSecond
          + "]";
    }
  }
}
