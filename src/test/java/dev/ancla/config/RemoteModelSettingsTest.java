package dev.ancla.config;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteModelSettingsTest {
  @TempDir Path dir;

  private Map<String, String> env(String... pairs) {
    var env = new HashMap<String, String>();
    env.put("ANCLA_DATA_DIR", dir.resolve("data").toString());
    env.put("ANCLA_SOURCES", dir.toString());
    for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
    return env;
  }

  @Test
  void unsetMeansExtractiveAnswersAndTheInProcessModel() {
    Config config = ConfigLoader.load(env(), 2).config();
    assertTrue(config.llm().isEmpty());
    assertTrue(config.embedApi().isEmpty());
  }

  @Test
  void llmAndEmbeddingsApisAreReadWithTheirDefaults() {
    Config config =
        ConfigLoader.load(
                env(
                    "ANCLA_LLM_URL",
                    "https://api.openai.com/v1/chat/completions",
                    "ANCLA_LLM_MODEL",
                    "gpt-4o-mini",
                    "ANCLA_LLM_API_KEY",
                    "sk-secret-llm-key",
                    "ANCLA_EMBED_URL",
                    "http://localhost:11434/v1/",
                    "ANCLA_EMBED_MODEL",
                    "nomic-embed-text",
                    "ANCLA_EMBED_DIMENSION",
                    "768"),
                2)
            .config();
    var llm = config.llm().orElseThrow();
    assertEquals(URI.create("https://api.openai.com/v1"), llm.baseUrl());
    assertEquals(Duration.ofSeconds(60), llm.timeout());
    assertEquals(3000, llm.contextTokens());
    assertEquals(1000, llm.historyTokens());
    assertFalse(llm.toString().contains("sk-secret-llm-key"));
    var embed = config.embedApi().orElseThrow();
    assertEquals(URI.create("http://localhost:11434/v1"), embed.baseUrl());
    assertEquals(32, embed.batch());
    assertEquals(OptionalInt.of(768), embed.dimension());
    assertTrue(embed.requestsPerMinute().isEmpty());
  }

  @Test
  void everyProblemIsReportedAndNoKeyIsEchoed() {
    var e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    env(
                        "ANCLA_LLM_URL",
                        "ftp://x",
                        "ANCLA_LLM_TIMEOUT_SECONDS",
                        "0",
                        "ANCLA_LLM_HISTORY_TOKENS",
                        "-1",
                        "ANCLA_LLM_API_KEY",
                        "sk bad key",
                        "ANCLA_EMBED_URL",
                        "https://api.openai.com/v1",
                        "ANCLA_EMBED_BATCH",
                        "0"),
                    2));
    String message = e.getMessage();
    assertTrue(message.contains("ANCLA_LLM_URL is \"ftp://x\""), message);
    assertTrue(message.contains("ANCLA_LLM_TIMEOUT_SECONDS is \"0\""), message);
    assertTrue(message.contains("ANCLA_LLM_HISTORY_TOKENS is \"-1\""), message);
    assertTrue(message.contains("ANCLA_LLM_API_KEY is set but malformed"), message);
    assertFalse(message.contains("sk bad key"), message);
    assertTrue(message.contains("ANCLA_EMBED_MODEL is not"), message);
    assertTrue(message.contains("ANCLA_EMBED_BATCH is \"0\""), message);
    var missingModel =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(env("ANCLA_LLM_URL", "http://localhost:11434/v1"), 2));
    assertTrue(
        missingModel.getMessage().contains("ANCLA_LLM_MODEL is not"), missingModel.getMessage());
  }
}
