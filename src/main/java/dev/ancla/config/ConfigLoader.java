package dev.ancla.config;

import dev.ancla.config.Config.Language;
import dev.ancla.config.Config.ModelSpec;
import dev.ancla.config.Config.ParseLimitsSpec;
import dev.ancla.config.Config.ServerSpec;
import dev.ancla.config.Config.SourceSpec;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Builds a {@link Config} from environment variables, with an optional properties file named by
 * {@code ANCLA_CONFIG} whose keys are the same variable names. The environment wins over the file.
 * Every problem is collected and reported at once, so a user fixes them in one go.
 */
public final class ConfigLoader {

  /** Every variable this version reads, with its default ("" = unset), in README order. */
  public static final Map<String, String> DEFAULTS = defaults();

  /** Variables read by the launcher, logging or error reporting rather than by this class. */
  public static final Set<String> READ_ELSEWHERE =
      Set.of("ANCLA_CONFIG", "ANCLA_LOG_LEVEL", "ANCLA_DEBUG", "ANCLA_JAVA_OPTS", "ANCLA_AOT");

  /**
   * The port a platform assigns (App Platform from the spec's http_port, Cloud Run, Heroku): used
   * when ANCLA_PORT is unset.
   */
  static final String PLATFORM_PORT = "PORT";

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  /** Shorter bearer tokens can be guessed; {@code openssl rand -hex 32} gives 64 characters. */
  static final int MIN_TOKEN_LENGTH = 16;

  private final Map<String, String> values;
  private final List<String> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final int cores;

  private ConfigLoader(Map<String, String> values, int cores) {
    this.values = values;
    this.cores = cores;
  }

  /** The result: a valid config and anything worth a warning (unknown variables). */
  public record Loaded(Config config, List<String> warnings) {}

  /** Reads {@code env} (a map, so tests pass their own) and the file it may name. */
  public static Loaded load(Map<String, String> env, int cores) {
    var merged = new HashMap<String, String>();
    var problems = new ArrayList<String>();
    var warnings = new ArrayList<String>();
    String file = env.get("ANCLA_CONFIG");
    if (file != null && !file.isBlank()) {
      readFile(Path.of(file.strip()), merged, problems, warnings);
    }
    env.forEach(
        (key, value) -> {
          // the standard AWS variables come from the environment only, as every S3 tool reads them
          if (key.startsWith("ANCLA_") || (key.startsWith("AWS_") && DEFAULTS.containsKey(key))) {
            merged.put(key, value);
          }
        });
    String platformPort = env.get(PLATFORM_PORT);
    if (platformPort != null && !platformPort.isBlank() && isBlank(merged.get("ANCLA_PORT"))) {
      merged.put(PLATFORM_PORT, platformPort); // ANCLA_PORT, when set, wins
    }
    for (String key : merged.keySet()) {
      if (!DEFAULTS.containsKey(key)
          && !READ_ELSEWHERE.contains(key)
          && !key.equals(PLATFORM_PORT)) {
        warnings.add(key + " is not a variable Ancla knows; it is ignored" + suggestion(key));
      }
    }
    var loader = new ConfigLoader(merged, cores);
    loader.problems.addAll(problems);
    loader.warnings.addAll(warnings);
    Config config = loader.build();
    if (!loader.problems.isEmpty()) {
      throw new ConfigException(loader.problems);
    }
    return new Loaded(config, List.copyOf(loader.warnings));
  }

  private Config build() {
    Path dataDir = Path.of(text("ANCLA_DATA_DIR")).toAbsolutePath().normalize();
    List<SourceSpec> sources = new SourceSettings(values, problems, warnings).read(dataDir);
    int problemsBefore = problems.size();
    int chunkTokens = integer("ANCLA_CHUNK_TOKENS", 16, 8192, "200");
    int overlap = integer("ANCLA_CHUNK_OVERLAP_TOKENS", 0, 4096, "32");
    ModelSpec model = model();
    boolean sizesValid = problems.size() == problemsBefore; // no follow-on errors from bad input
    if (sizesValid && overlap * 2 >= chunkTokens) {
      problems.add(
          "ANCLA_CHUNK_OVERLAP_TOKENS is "
              + overlap
              + "; it must be less than half of ANCLA_CHUNK_TOKENS ("
              + chunkTokens
              + "), e.g. 32");
    }
    if (!sizesValid) {
      // reported above
    } else if (model.bundled() && chunkTokens > model.maxTokens() - 2) {
      problems.add(
          "ANCLA_CHUNK_TOKENS is "
              + chunkTokens
              + "; the bundled model reads at most "
              + (model.maxTokens() - 2)
              + " tokens per chunk, e.g. 200");
    } else if (!model.bundled() && chunkTokens > model.maxTokens() - 2) {
      problems.add(
          "ANCLA_CHUNK_TOKENS is "
              + chunkTokens
              + " but ANCLA_MODEL_MAX_TOKENS is "
              + model.maxTokens()
              + "; a chunk must fit the model with its 2 special tokens");
    }
    var remote = new RemoteModelSettings(values, problems, warnings);
    model = model.withVectorWeights(vectorWeights(model, remote.embedApi().isPresent()));
    return new Config(
        dataDir,
        sources,
        globs("ANCLA_INCLUDE"),
        globs("ANCLA_EXCLUDE"),
        language(),
        chunkTokens,
        overlap,
        integer("ANCLA_CHECKPOINT_CHUNKS", 1, 10_000_000, "1000"),
        Duration.ofSeconds(integer("ANCLA_CHECKPOINT_SECONDS", 1, 86_400, "30")),
        threads("ANCLA_EMBED_THREADS", cores),
        threads("ANCLA_PARSE_THREADS", Math.max(1, cores / 2)),
        model,
        new ParseLimitsSpec(
            (long) integer("ANCLA_MAX_FILE_MB", 1, 100_000, "64") * 1024 * 1024,
            integer("ANCLA_MAX_CHARS", 1_000, 1_000_000_000, "1000000"),
            Duration.ofSeconds(integer("ANCLA_PARSE_TIMEOUT_SECONDS", 1, 86_400, "60"))),
        new SnapshotSettings(values, problems, warnings).read(),
        server(),
        remote.llm(),
        remote.embedApi(),
        integer("ANCLA_FETCH_THREADS", 1, 256, "8"),
        drive(sources),
        stemmer(),
        solr());
  }

  /**
   * ANCLA_INDEX_URL: a SolrCloud collection instead of the local index. Snapshots copy the local
   * index's files, so they cannot be combined with it: Solr keeps its own replicas.
   */
  private Optional<dev.ancla.index.solr.SolrUrl> solr() {
    String raw = text("ANCLA_INDEX_URL");
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    Optional<dev.ancla.index.solr.SolrUrl> url;
    try {
      url = Optional.of(dev.ancla.index.solr.SolrUrl.parse(raw));
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return Optional.empty();
    }
    if (!text("ANCLA_SNAPSHOT_URL").isEmpty()) {
      problems.add(
          "ANCLA_SNAPSHOT_URL and ANCLA_INDEX_URL are both set; snapshots copy the local index,"
              + " and with ANCLA_INDEX_URL the index is in Solr, which keeps its own replicas"
              + " (the replicas= option of ANCLA_INDEX_URL). Unset ANCLA_SNAPSHOT_URL");
    }
    if (text("ANCLA_STEMMER").equals("hunspell")) {
      // Solr analyses what it indexes with the configset's chain (the light stemmer), Ancla the
      // queries with its own: with Hunspell on one side only, words would not meet
      problems.add(
          "ANCLA_STEMMER=hunspell works with the local index only; with ANCLA_INDEX_URL the"
              + " collection's configset stems with the light stemmer. Unset ANCLA_STEMMER");
    }
    return url;
  }

  /** Drive access; a Drive source without a key is a problem found now, not at the first sync. */
  private Optional<Config.DriveSpec> drive(List<SourceSpec> sources) {
    int before = problems.size();
    Optional<Config.DriveSpec> drive = new DriveSettings(values, problems).read();
    boolean keyProblem = problems.size() > before;
    if (drive.isEmpty() && !keyProblem) {
      sources.stream()
          .filter(SourceSpec.Drive.class::isInstance)
          .findFirst()
          .ifPresent(
              s ->
                  problems.add(
                      "ANCLA_SOURCES names "
                          + s.describe()
                          + " but ANCLA_DRIVE_CREDENTIALS is not set; set it to the service"
                          + " account's JSON key (a file path, the JSON, or its base64), e.g."
                          + " ANCLA_DRIVE_CREDENTIALS=/run/secrets/drive-key.json"));
    }
    return drive;
  }

  private ServerSpec server() {
    String host = text("ANCLA_HOST");
    if (host.chars().anyMatch(Character::isWhitespace) || host.contains("/")) {
      problems.add(
          "ANCLA_HOST is \""
              + host
              + "\"; expected an interface name or address, e.g. 0.0.0.0 or 127.0.0.1");
    }
    int port =
        values.containsKey(PLATFORM_PORT)
            ? integer(
                PLATFORM_PORT, 1, 65_535, "8080 (set by the platform; ANCLA_PORT overrides it)")
            : integer("ANCLA_PORT", 0, 65_535, "8080 (0 picks a free port)");
    return new ServerSpec(
        host,
        port,
        token("ANCLA_ADMIN_TOKEN"),
        token("ANCLA_API_TOKEN"),
        origins(),
        Duration.ofSeconds(integer("ANCLA_SHUTDOWN_SECONDS", 1, 3_600, "100")),
        syncInterval());
  }

  /** {@code 15m}, {@code 30s}, {@code 1h}; {@code 0} or {@code off} turn scheduled syncs off. */
  private Duration syncInterval() {
    String raw = text("ANCLA_SYNC_INTERVAL");
    String value = raw.toLowerCase(Locale.ROOT);
    if (value.equals("0") || value.equals("off")) {
      return Duration.ZERO;
    }
    var matcher = java.util.regex.Pattern.compile("(\\d{1,6}) ?(s|m|h)").matcher(value);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      Duration interval =
          switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
          };
      if (!interval.isZero() && interval.compareTo(Duration.ofDays(7)) <= 0) {
        return interval;
      }
    }
    problems.add(
        "ANCLA_SYNC_INTERVAL is \""
            + raw
            + "\"; expected a time between 1s and 168h with its unit, e.g. 15m, 30s or 1h, or"
            + " 0 or off to sync only when asked");
    return Duration.ZERO;
  }

  /** A secret: checked for strength, never echoed in a message. */
  private Optional<String> token(String key) {
    String raw = text(key);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    if (raw.length() < MIN_TOKEN_LENGTH || raw.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      problems.add(
          key
              + " is set but too weak or malformed ("
              + raw.length()
              + " characters); use at least "
              + MIN_TOKEN_LENGTH
              + " printable ASCII characters without spaces, e.g. the output of `openssl rand -hex 32`");
      return Optional.empty();
    }
    return Optional.of(raw);
  }

  private List<String> origins() {
    var result = new ArrayList<String>();
    for (String part : text("ANCLA_CORS_ORIGINS").split(",")) {
      String origin = part.strip();
      if (origin.isEmpty()) {
        continue;
      }
      if (origin.equals("*") || origin.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+")) {
        result.add(origin);
      } else {
        problems.add(
            "ANCLA_CORS_ORIGINS has \""
                + origin
                + "\"; expected * or origins as scheme://host[:port] without a path, e.g. https://kb.example.com,http://localhost:5173");
      }
    }
    return result;
  }

  /** Shared with {@link SnapshotSettings}: the value of {@code key}, or its default. */
  static String text(Map<String, String> values, String key) {
    String value = values.get(key);
    return value == null || value.isBlank() ? DEFAULTS.get(key) : value.strip();
  }

  /** Shared with {@link SnapshotSettings}: a whole number in range, or a problem. */
  static int integer(
      Map<String, String> values,
      List<String> problems,
      String key,
      int min,
      int max,
      String example) {
    String raw = text(values, key);
    try {
      int value = Integer.parseInt(raw.replace("_", ""));
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException _) {
      // reported below with the raw value
    }
    problems.add(
        key
            + " is \""
            + raw
            + "\"; expected a whole number from "
            + min
            + " to "
            + max
            + ", e.g. "
            + example);
    return min;
  }

  private String text(String key) {
    return text(values, key);
  }

  private int integer(String key, int min, int max, String example) {
    return integer(values, problems, key, min, max, example);
  }

  private int threads(String key, int fallback) {
    return text(key).equalsIgnoreCase("auto")
        ? fallback
        : integer(key, 1, 256, String.valueOf(fallback));
  }

  private Language language() {
    String raw = text("ANCLA_LANGUAGE");
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "es", "spanish", "español" -> Language.ES;
      case "en", "english" -> Language.EN;
      default -> {
        problems.add("ANCLA_LANGUAGE is \"" + raw + "\"; expected es or en, e.g. es");
        yield Language.ES;
      }
    };
  }

  private Config.Stemmer stemmer() {
    String raw = text("ANCLA_STEMMER");
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "light" -> Config.Stemmer.LIGHT;
      case "hunspell" -> Config.Stemmer.HUNSPELL;
      default -> {
        problems.add("ANCLA_STEMMER is \"" + raw + "\"; expected light or hunspell, e.g. light");
        yield Config.Stemmer.LIGHT;
      }
    };
  }

  private ModelSpec model() {
    String dir = text("ANCLA_MODEL_DIR");
    String pooling = text("ANCLA_MODEL_POOLING").toLowerCase(Locale.ROOT);
    if (!pooling.equals("mean") && !pooling.equals("cls")) {
      problems.add("ANCLA_MODEL_POOLING is \"" + pooling + "\"; expected mean or cls, e.g. mean");
    }
    if (dir.isEmpty()) {
      for (String key :
          List.of(
              "ANCLA_MODEL_DIMENSION",
              "ANCLA_MODEL_MAX_TOKENS",
              "ANCLA_MODEL_QUERY_PREFIX",
              "ANCLA_MODEL_PASSAGE_PREFIX")) {
        if (values.containsKey(key) && !values.get(key).isBlank()) {
          warnings.add(key + " applies only with ANCLA_MODEL_DIR; the bundled model is used");
        }
      }
      return new ModelSpec(Optional.empty(), "mean", 384, 256, "", "", VectorWeights.BUNDLED);
    }
    Path path = Path.of(dir).toAbsolutePath().normalize();
    for (String file : List.of("model.onnx", "tokenizer.json")) {
      if (!Files.isRegularFile(path.resolve(file))) {
        problems.add(
            "ANCLA_MODEL_DIR is \""
                + dir
                + "\" but "
                + path.resolve(file)
                + " is not a readable file; the directory needs model.onnx and tokenizer.json");
      }
    }
    int dimension = integer("ANCLA_MODEL_DIMENSION", 1, 16_384, "384");
    int maxTokens = integer("ANCLA_MODEL_MAX_TOKENS", 8, 1_000_000, "512");
    // not stripped: e5's prefixes end with a space, "query: "
    String queryPrefix = values.getOrDefault("ANCLA_MODEL_QUERY_PREFIX", "");
    String passagePrefix = values.getOrDefault("ANCLA_MODEL_PASSAGE_PREFIX", "");
    return new ModelSpec(
        Optional.of(path),
        pooling,
        dimension,
        maxTokens,
        queryPrefix,
        passagePrefix,
        VectorWeights.undeclared());
  }

  /** The file in ANCLA_MODEL_DIR where a model declares its fusion weights (README). */
  static final String MODEL_PROPERTIES = "ancla-model.properties";

  /**
   * The vector list's fusion weights, a property of the model that embeds: ANCLA_VECTOR_WEIGHTS
   * when set; else what a model folder declares in {@link #MODEL_PROPERTIES} ({@code
   * vector_weights=es=0.5,en=0.5}); else the bundled model's measured weights, or for any other
   * model (a folder, or ANCLA_EMBED_URL) the same weight for every language.
   */
  private VectorWeights vectorWeights(ModelSpec model, boolean remote) {
    String raw = text("ANCLA_VECTOR_WEIGHTS");
    if (!raw.isEmpty()) {
      try {
        return VectorWeights.parse(raw);
      } catch (IllegalArgumentException e) {
        problems.add("ANCLA_VECTOR_WEIGHTS is \"" + raw + "\": " + e.getMessage());
        return VectorWeights.BUNDLED;
      }
    }
    if (remote) {
      return VectorWeights.undeclared();
    }
    if (model.directory().isEmpty()) {
      return VectorWeights.BUNDLED;
    }
    Path declared = model.directory().get().resolve(MODEL_PROPERTIES);
    if (!Files.isRegularFile(declared)) {
      return VectorWeights.undeclared();
    }
    var properties = new Properties();
    try (Reader in = Files.newBufferedReader(declared, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException | IllegalArgumentException e) {
      problems.add(declared + " cannot be read (" + e.getMessage() + "); fix or remove it");
      return VectorWeights.undeclared();
    }
    String weights = properties.getProperty("vector_weights", "").strip();
    if (weights.isEmpty()) {
      return VectorWeights.undeclared();
    }
    try {
      return VectorWeights.parse(weights);
    } catch (IllegalArgumentException e) {
      problems.add(declared + " has vector_weights=" + weights + ": " + e.getMessage());
      return VectorWeights.undeclared();
    }
  }

  private List<String> globs(String key) {
    var result = new ArrayList<String>();
    for (String part : text(key).split(",")) {
      String glob = part.strip();
      if (glob.isEmpty()) {
        continue;
      }
      try {
        java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob);
        result.add(glob);
      } catch (RuntimeException e) {
        problems.add(
            key + " has an invalid glob \"" + glob + "\" (" + e.getMessage() + "); e.g. **/*.pdf");
      }
    }
    return result;
  }

  private static void readFile(
      Path file, Map<String, String> into, List<String> problems, List<String> warnings) {
    var properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      problems.add("ANCLA_CONFIG names " + file + ", which cannot be read: " + e.getMessage());
      return;
    }
    for (String key : properties.stringPropertyNames()) {
      if (!key.startsWith("ANCLA_")) {
        warnings.add(
            file + ": key " + key + " is ignored; keys are variable names such as ANCLA_DATA_DIR");
        continue;
      }
      into.put(key, properties.getProperty(key));
    }
  }

  /**
   * Names that other RAG servers, and earlier drafts of Ancla's own documents, use for a variable
   * Ancla calls otherwise: too far apart for the spelling check, so named outright.
   */
  private static final Map<String, String> OTHER_NAMES =
      Map.of(
          "ANCLA_CHAT_URL", "ANCLA_LLM_URL",
          "ANCLA_CHAT_MODEL", "ANCLA_LLM_MODEL",
          "ANCLA_CHAT_API_KEY", "ANCLA_LLM_API_KEY",
          "ANCLA_OPENAI_API_KEY", "ANCLA_LLM_API_KEY",
          "ANCLA_OPENAI_BASE_URL", "ANCLA_LLM_URL",
          "ANCLA_EMBEDDING_MODEL", "ANCLA_EMBED_MODEL",
          "ANCLA_CHUNK_SIZE", "ANCLA_CHUNK_TOKENS",
          "ANCLA_CHUNK_OVERLAP", "ANCLA_CHUNK_OVERLAP_TOKENS");

  private static String suggestion(String key) {
    String other = OTHER_NAMES.get(key);
    if (other != null) {
      return "; did you mean " + other + "?";
    }
    String best = null;
    int bestDistance = 4;
    for (String known : DEFAULTS.keySet()) {
      int distance = distance(key, known);
      if (distance < bestDistance) {
        best = known;
        bestDistance = distance;
      }
    }
    return best == null ? "" : "; did you mean " + best + "?";
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static Map<String, String> defaults() {
    var map = new LinkedHashMap<String, String>();
    map.put("ANCLA_DATA_DIR", "./data");
    map.put("ANCLA_SOURCES", "./samples");
    map.put("ANCLA_INCLUDE", "");
    map.put("ANCLA_EXCLUDE", "");
    map.put("ANCLA_LANGUAGE", "es");
    map.put("ANCLA_STEMMER", "light");
    map.put("ANCLA_CHUNK_TOKENS", "200");
    map.put("ANCLA_CHUNK_OVERLAP_TOKENS", "32");
    map.put("ANCLA_CHECKPOINT_CHUNKS", "1000");
    map.put("ANCLA_CHECKPOINT_SECONDS", "30");
    map.put("ANCLA_EMBED_THREADS", "auto");
    map.put("ANCLA_PARSE_THREADS", "auto");
    map.put("ANCLA_MODEL_DIR", "");
    map.put("ANCLA_MODEL_POOLING", "mean");
    map.put("ANCLA_MODEL_DIMENSION", "384");
    map.put("ANCLA_MODEL_MAX_TOKENS", "512");
    map.put("ANCLA_MODEL_QUERY_PREFIX", "");
    map.put("ANCLA_MODEL_PASSAGE_PREFIX", "");
    map.put("ANCLA_VECTOR_WEIGHTS", "");
    map.put("ANCLA_MAX_FILE_MB", "64");
    map.put("ANCLA_MAX_CHARS", "1000000");
    map.put("ANCLA_PARSE_TIMEOUT_SECONDS", "60");
    map.put("ANCLA_SNAPSHOT_URL", "");
    map.put("ANCLA_INDEX_URL", "");
    map.put("ANCLA_SNAPSHOT_KEEP", "7");
    map.put("ANCLA_SNAPSHOT_GC_GRACE_MINUTES", "60");
    map.put("ANCLA_SNAPSHOT_DEBOUNCE_SECONDS", "30");
    map.put("ANCLA_SNAPSHOT_SHUTDOWN_SECONDS", "90");
    map.put("ANCLA_SNAPSHOT_THREADS", "4");
    map.put("ANCLA_SNAPSHOT_LEASE_SECONDS", "60");
    map.put("ANCLA_FOLLOW_SECONDS", "5");
    map.put("ANCLA_SNAPSHOT_CONNECT_TIMEOUT_SECONDS", "10");
    map.put("ANCLA_SNAPSHOT_REQUEST_TIMEOUT_SECONDS", "30");
    map.put("ANCLA_SNAPSHOT_TOTAL_TIMEOUT_SECONDS", "120");
    map.put("ANCLA_SNAPSHOT_MIN_KIB_PER_SECOND", "128");
    map.put("ANCLA_SNAPSHOT_SCRUB_MB_PER_DAY", "1024");
    map.put("ANCLA_S3_ENDPOINT", "");
    map.put("ANCLA_S3_PATH_STYLE", "false");
    map.put("ANCLA_S3_SOURCE_ENDPOINT", "");
    map.put("ANCLA_S3_SOURCE_REGION", "");
    map.put("ANCLA_S3_SOURCE_ACCESS_KEY_ID", "");
    map.put("ANCLA_S3_SOURCE_SECRET_ACCESS_KEY", "");
    map.put("ANCLA_S3_SOURCE_PATH_STYLE", "false");
    map.put("ANCLA_FETCH_THREADS", "8");
    map.put("AWS_ACCESS_KEY_ID", "");
    map.put("AWS_SECRET_ACCESS_KEY", "");
    map.put("AWS_SESSION_TOKEN", "");
    map.put("AWS_REGION", "");
    map.put("AWS_DEFAULT_REGION", "");
    map.put("AWS_ENDPOINT_URL_S3", "");
    map.put("AWS_ENDPOINT_URL", "");
    map.put("ANCLA_DRIVE_CREDENTIALS", "");
    map.put("ANCLA_DRIVE_SUBJECT", "");
    map.put("ANCLA_DRIVE_API_URL", "https://www.googleapis.com/");
    map.put("ANCLA_DRIVE_REQUESTS_PER_SECOND", "100");
    map.put("ANCLA_HOST", "0.0.0.0");
    map.put("ANCLA_PORT", "8080");
    map.put("ANCLA_ADMIN_TOKEN", "");
    map.put("ANCLA_API_TOKEN", "");
    map.put("ANCLA_CORS_ORIGINS", "");
    map.put("ANCLA_SHUTDOWN_SECONDS", "100");
    map.put("ANCLA_SYNC_INTERVAL", "15m");
    map.put("ANCLA_LLM_URL", "");
    map.put("ANCLA_LLM_MODEL", "");
    map.put("ANCLA_LLM_API_KEY", "");
    map.put("ANCLA_LLM_TIMEOUT_SECONDS", "60");
    map.put("ANCLA_LLM_CONTEXT_TOKENS", "3000");
    map.put("ANCLA_LLM_HISTORY_TOKENS", "1000");
    map.put("ANCLA_EMBED_URL", "");
    map.put("ANCLA_EMBED_MODEL", "");
    map.put("ANCLA_EMBED_API_KEY", "");
    map.put("ANCLA_EMBED_BATCH", "32");
    map.put("ANCLA_EMBED_DIMENSION", "");
    map.put("ANCLA_EMBED_RPM", "");
    return java.util.Collections.unmodifiableMap(map);
  }
}
