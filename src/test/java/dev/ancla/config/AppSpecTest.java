package dev.ancla.config;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The App Platform spec, {@code .do/app.yaml}, as DigitalOcean reads it: it sets only variables
 * Ancla knows, keeps every secret a secret at run time only, protects search, answers and files
 * with ANCLA_API_TOKEN, runs next to its Space, and gives a configuration Ancla accepts, on the
 * port App Platform passes as PORT.
 */
class AppSpecTest {
  private static final Path SPEC = Path.of(".do", "app.yaml");
  private static final Set<String> SECRETS =
      Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ANCLA_ADMIN_TOKEN", "ANCLA_API_TOKEN");

  @TempDir Path dir;

  private static JsonNode service() throws Exception {
    JsonNode spec = new YAMLMapper().readTree(SPEC.toFile());
    assertEquals(1, spec.path("services").size(), "one service: " + spec);
    return spec.path("services").get(0);
  }

  private static Map<String, JsonNode> envs() throws Exception {
    var envs = new LinkedHashMap<String, JsonNode>();
    for (JsonNode env : service().path("envs")) {
      assertNull(envs.put(env.path("key").asText(), env), "set twice: " + env);
    }
    return envs;
  }

  @Test
  void everyAnclaVariableItSetsIsOneAnclaReads() throws Exception {
    for (String key : envs().keySet()) {
      if (key.startsWith("ANCLA_")) {
        assertTrue(ConfigLoader.DEFAULTS.containsKey(key), key + " is not a variable of Ancla");
      }
    }
  }

  @Test
  void secretsAreSecretsAtRunTimeOnlyAndTheApiIsProtected() throws Exception {
    Map<String, JsonNode> envs = envs();
    assertTrue(
        envs.containsKey("ANCLA_API_TOKEN"),
        "without ANCLA_API_TOKEN search, answers and the original files are public");
    for (String secret : SECRETS) {
      JsonNode env = envs.get(secret);
      assertNotNull(env, secret + " is set");
      assertEquals("SECRET", env.path("type").asText(), secret + " is encrypted");
      assertEquals("RUN_TIME", env.path("scope").asText(), secret + " is not given to the build");
      assertTrue(env.path("value").isMissingNode(), secret + " has no value in the repository");
    }
    for (var env : envs.entrySet()) {
      if (env.getValue().path("type").asText().equals("SECRET")) {
        assertTrue(SECRETS.contains(env.getKey()), "a secret the test does not know: " + env);
      }
      assertEquals("RUN_TIME", env.getValue().path("scope").asText(), env.getKey());
    }
  }

  @Test
  void itRunsNextToItsSpaceOnTheSpecsHttpPort() throws Exception {
    JsonNode spec = new YAMLMapper().readTree(SPEC.toFile());
    Map<String, JsonNode> envs = envs();
    String spaceRegion = envs.get("AWS_REGION").path("value").asText(); // e.g. fra1
    String endpoint = envs.get("AWS_ENDPOINT_URL_S3").path("value").asText();
    assertEquals("https://" + spaceRegion + ".digitaloceanspaces.com", endpoint);
    assertEquals(
        spaceRegion.replaceAll("\\d+$", ""),
        spec.path("region").asText(),
        "the app's region (fra) is the Space's (fra1)");
    assertEquals(
        2, service().path("instance_count").asInt(), "a writer and a follower (decision 16)");
    assertFalse(envs.containsKey("ANCLA_PORT"), "the port comes from App Platform's PORT");
    assertTrue(service().path("http_port").isInt());
  }

  /** The spec's values, secrets filled in as a user would, load without a problem. */
  @Test
  void itsConfigurationLoadsAndListensOnAppPlatformsPort() throws Exception {
    JsonNode service = service();
    var env = new HashMap<String, String>();
    for (var e : envs().entrySet()) {
      env.put(e.getKey(), e.getValue().path("value").asText("secret-value-0123456789abcdef"));
    }
    Path sources = Files.createDirectories(dir.resolve("samples"));
    env.put("ANCLA_SOURCES", sources.toString()); // /app/samples exists only in the image
    env.put("ANCLA_DATA_DIR", dir.resolve("data").toString());
    env.put("PORT", service.path("http_port").asText()); // what App Platform sets
    Config config = ConfigLoader.load(env, 2).config();
    assertEquals(service.path("http_port").asInt(), config.server().port());
    assertTrue(config.server().apiToken().isPresent());
    assertTrue(config.server().adminToken().isPresent());
    assertTrue(
        config.snapshots().orElseThrow().target() instanceof Config.SnapshotTarget.S3,
        "snapshots go to the Space");
  }
}
