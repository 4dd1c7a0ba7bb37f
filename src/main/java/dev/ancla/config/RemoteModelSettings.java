package dev.ancla.config;

import dev.ancla.config.Config.EmbedApiSpec;
import dev.ancla.config.Config.LlmSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads the variables of OpenAI-compatible services: the chat model for answers ({@code
 * ANCLA_LLM_*}) and the embeddings API ({@code ANCLA_EMBED_*}, besides {@code
 * ANCLA_EMBED_THREADS}). Problems go to the loader's list. API keys are never echoed.
 */
final class RemoteModelSettings {
  private final Map<String, String> values;
  private final List<String> problems;
  private final List<String> warnings;

  RemoteModelSettings(Map<String, String> values, List<String> problems, List<String> warnings) {
    this.values = values;
    this.problems = problems;
    this.warnings = warnings;
  }

  Optional<LlmSpec> llm() {
    int timeout =
        ConfigLoader.integer(values, problems, "ANCLA_LLM_TIMEOUT_SECONDS", 1, 3_600, "60");
    int contextTokens =
        ConfigLoader.integer(values, problems, "ANCLA_LLM_CONTEXT_TOKENS", 100, 1_000_000, "3000");
    int historyTokens =
        ConfigLoader.integer(values, problems, "ANCLA_LLM_HISTORY_TOKENS", 0, 1_000_000, "1000");
    Optional<String> key = apiKey("ANCLA_LLM_API_KEY");
    Optional<URI> url =
        url(
            "ANCLA_LLM_URL",
            "/chat/completions",
            "https://api.openai.com/v1 or http://localhost:11434/v1");
    if (url.isEmpty()) {
      unusedWithout("ANCLA_LLM_URL", "ANCLA_LLM_MODEL", "ANCLA_LLM_API_KEY");
      return Optional.empty();
    }
    String model = ConfigLoader.text(values, "ANCLA_LLM_MODEL");
    if (model.isEmpty()) {
      problems.add(
          "ANCLA_LLM_URL is set but ANCLA_LLM_MODEL is not; name the chat model, e.g. gpt-4o-mini or llama3.1");
      return Optional.empty();
    }
    return Optional.of(
        new LlmSpec(
            url.get(), model, key, Duration.ofSeconds(timeout), contextTokens, historyTokens));
  }

  Optional<EmbedApiSpec> embedApi() {
    int batch = ConfigLoader.integer(values, problems, "ANCLA_EMBED_BATCH", 1, 2_048, "32");
    OptionalInt dimension = optionalInteger("ANCLA_EMBED_DIMENSION", 1, 16_384, "1536");
    OptionalInt rpm = optionalInteger("ANCLA_EMBED_RPM", 1, 1_000_000, "3000");
    Optional<String> key = apiKey("ANCLA_EMBED_API_KEY");
    Optional<URI> url = url("ANCLA_EMBED_URL", "/embeddings", "https://api.openai.com/v1");
    if (url.isEmpty()) {
      unusedWithout(
          "ANCLA_EMBED_URL",
          "ANCLA_EMBED_MODEL",
          "ANCLA_EMBED_API_KEY",
          "ANCLA_EMBED_DIMENSION",
          "ANCLA_EMBED_RPM");
      return Optional.empty();
    }
    String model = ConfigLoader.text(values, "ANCLA_EMBED_MODEL");
    if (model.isEmpty()) {
      problems.add(
          "ANCLA_EMBED_URL is set but ANCLA_EMBED_MODEL is not; name the embedding model, e.g. text-embedding-3-small");
      return Optional.empty();
    }
    return Optional.of(new EmbedApiSpec(url.get(), model, key, batch, dimension, rpm));
  }

  /**
   * The API's base URL (".../v1"): http or https, no user-info (keys go in their own variable),
   * {@code endpoint} cut off when given in full.
   */
  private Optional<URI> url(String key, String endpoint, String example) {
    String raw = ConfigLoader.text(values, key);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(raw);
      if (uri.getUserInfo() != null) {
        problems.add(
            key
                + " has a user name or password in it (not shown); put the key in the _API_KEY variable instead");
        return Optional.empty();
      }
      String scheme =
          uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && uri.getQuery() == null) {
        String base = raw.replaceFirst("/+$", "");
        if (base.endsWith(endpoint)) {
          base = base.substring(0, base.length() - endpoint.length());
        }
        return Optional.of(URI.create(base));
      }
    } catch (URISyntaxException _) {
      // reported below
    }
    problems.add(
        key
            + " is \""
            + raw
            + "\"; expected the http(s) base URL of an OpenAI-compatible API, e.g. "
            + example);
    return Optional.empty();
  }

  /**
   * A secret: checked, never echoed. It becomes an HTTP header, so no spaces or control characters.
   */
  private Optional<String> apiKey(String key) {
    String raw = ConfigLoader.text(values, key);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    if (raw.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      problems.add(
          key
              + " is set but malformed ("
              + raw.length()
              + " characters, value not shown); an API key is"
              + " printable ASCII without spaces, e.g. sk-...");
      return Optional.empty();
    }
    return Optional.of(raw);
  }

  private OptionalInt optionalInteger(String key, int min, int max, String example) {
    if (ConfigLoader.text(values, key).isEmpty()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(ConfigLoader.integer(values, problems, key, min, max, example));
  }

  private void unusedWithout(String url, String... keys) {
    for (String key : keys) {
      if (!ConfigLoader.text(values, key).isEmpty()) {
        warnings.add(key + " is set but " + url + " is not; it is ignored");
      }
    }
  }
}
