package dev.ancla.config;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Map<String, String> env(String... pairs) {
    var map = new java.util.HashMap<String, String>();
    map.put("ANCLA_DATA_DIR", dir.resolve("data").toString());
    map.put("ANCLA_SOURCES", dir.toString());
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void defaultsApplyWhenNothingIsSet() {
    Config config = ConfigLoader.load(env(), 4).config();
    assertEquals(dir.resolve("data"), config.dataDir());
    assertEquals(1, config.sources().size());
    assertEquals(dir, folder(config, 0).root());
    assertEquals(Config.Language.ES, config.language());
    assertEquals(200, config.chunkTokens());
    assertEquals(32, config.chunkOverlapTokens());
    assertEquals(4, config.embedThreads());
    assertEquals(2, config.parseThreads());
    assertTrue(config.model().bundled());
    assertEquals(64L * 1024 * 1024, config.limits().maxFileBytes());
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    var e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    env(
                        "ANCLA_CHUNK_TOKENS", "lots",
                        "ANCLA_LANGUAGE", "klingon",
                        "ANCLA_SOURCES", dir.resolve("missing").toString(),
                        "ANCLA_EMBED_THREADS", "0"),
                    2));
    assertEquals(4, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("ANCLA_CHUNK_TOKENS is \"lots\""));
    assertTrue(e.getMessage().contains("ANCLA_LANGUAGE is \"klingon\"; expected es or en"));
    assertTrue(e.getMessage().contains("not a directory"));
    assertTrue(e.getMessage().contains("ANCLA_EMBED_THREADS is \"0\""));
  }

  @Test
  void chunksMustFitTheBundledModel() {
    var e =
        assertThrows(
            ConfigException.class, () -> ConfigLoader.load(env("ANCLA_CHUNK_TOKENS", "600"), 2));
    assertTrue(e.getMessage().contains("at most 254 tokens"), e.getMessage());
  }

  @Test
  void overlapMustBeLessThanHalfAChunk() {
    var e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    env("ANCLA_CHUNK_TOKENS", "100", "ANCLA_CHUNK_OVERLAP_TOKENS", "50"), 2));
    assertTrue(e.getMessage().contains("less than half"), e.getMessage());
  }

  @Test
  void fileValuesApplyAndTheEnvironmentWins() throws Exception {
    Path file = dir.resolve("ancla.properties");
    Files.writeString(file, "ANCLA_CHUNK_TOKENS=120\nANCLA_LANGUAGE=en\n");
    Config config =
        ConfigLoader.load(env("ANCLA_CONFIG", file.toString(), "ANCLA_LANGUAGE", "es"), 2).config();
    assertEquals(120, config.chunkTokens());
    assertEquals(Config.Language.ES, config.language());
  }

  @Test
  void unknownVariablesAreWarnedAboutWithASuggestion() {
    var loaded = ConfigLoader.load(env("ANCLA_CHUNK_TOKEN", "100"), 2);
    assertEquals(200, loaded.config().chunkTokens());
    assertEquals(1, loaded.warnings().size());
    assertTrue(loaded.warnings().getFirst().contains("did you mean ANCLA_CHUNK_TOKENS?"));
  }

  @Test
  void chatVariablesOfOtherServersPointAtTheLlmOnes() {
    var loaded =
        ConfigLoader.load(
            env("ANCLA_CHAT_URL", "http://localhost:11434/v1", "ANCLA_CHAT_MODEL", "llama3"), 2);
    assertTrue(loaded.config().llm().isEmpty());
    assertEquals(2, loaded.warnings().size());
    assertTrue(
        loaded.warnings().stream().anyMatch(w -> w.contains("did you mean ANCLA_LLM_URL?")),
        loaded.warnings().toString());
    assertTrue(
        loaded.warnings().stream().anyMatch(w -> w.contains("did you mean ANCLA_LLM_MODEL?")),
        loaded.warnings().toString());
  }

  @Test
  void sourcesAcceptFileUrisAndGetUniqueIds() throws Exception {
    Path a = Files.createDirectories(dir.resolve("x/docs"));
    Path b = Files.createDirectories(dir.resolve("y/docs"));
    Config config = ConfigLoader.load(env("ANCLA_SOURCES", a + ", " + b.toUri()), 2).config();
    assertEquals(2, config.sources().size());
    assertEquals("docs", config.sources().get(0).id());
    assertEquals("docs-2", config.sources().get(1).id());
    assertEquals(b, folder(config, 1).root());
  }

  private static Config.SourceSpec.Folder folder(Config config, int i) {
    return assertInstanceOf(Config.SourceSpec.Folder.class, config.sources().get(i));
  }

  @Test
  void sourcesMixFoldersDriveFoldersSharedDrivesPastedLinksAndBuckets() throws Exception {
    Path a = Files.createDirectories(dir.resolve("x/docs"));
    String id = "1AbCdEfGhIjKlMnOpQrStUvWxYz012345";
    Config config =
        ConfigLoader.load(
                env(
                    "ANCLA_SOURCES",
                    String.join(
                        ", ",
                        a.toString(),
                        "gdrive:" + id,
                        "gdrive-shared:0AbCdEfGhIjKlUk9PVA",
                        "https://drive.google.com/drive/folders/" + id + "?usp=sharing",
                        "https://drive.google.com/drive/u/1/folders/Zz_9-Folder/",
                        "s3://my-bucket/team/handbook/",
                        "s3://other-bucket"),
                    "ANCLA_S3_SOURCE_ENDPOINT",
                    "https://fra1.digitaloceanspaces.com",
                    "ANCLA_S3_SOURCE_REGION",
                    "fra1",
                    "ANCLA_S3_SOURCE_ACCESS_KEY_ID",
                    "DO00KEYID",
                    "ANCLA_S3_SOURCE_SECRET_ACCESS_KEY",
                    "s3cr3t-value",
                    "ANCLA_S3_SOURCE_PATH_STYLE",
                    "true",
                    "ANCLA_DRIVE_CREDENTIALS",
                    "{\"type\":\"service_account\",\"client_email\":\"r@p.iam.gserviceaccount.com\","
                        + "\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nMII\\n-----END PRIVATE KEY-----\\n\"}"),
                2)
            .config();
    var s = config.sources();
    assertEquals(7, s.size());
    assertEquals(new Config.SourceSpec.Folder("docs", a), s.get(0));
    assertEquals(new Config.SourceSpec.Drive("gdrive-" + id, id, false), s.get(1));
    assertEquals(
        new Config.SourceSpec.Drive(
            "gdrive-shared-0AbCdEfGhIjKlUk9PVA", "0AbCdEfGhIjKlUk9PVA", true),
        s.get(2));
    assertEquals(new Config.SourceSpec.Drive("gdrive-" + id + "-2", id, false), s.get(3));
    assertEquals("gdrive:Zz_9-Folder", s.get(4).describe());
    var bucket = assertInstanceOf(Config.SourceSpec.S3.class, s.get(5));
    assertEquals("handbook", bucket.id());
    assertEquals("my-bucket", bucket.bucket());
    assertEquals("team/handbook", bucket.prefix());
    assertEquals("s3://my-bucket/team/handbook", bucket.describe());
    assertEquals("fra1", bucket.connection().region());
    assertTrue(bucket.connection().pathStyle());
    assertEquals(
        "https://fra1.digitaloceanspaces.com",
        bucket.connection().endpoint().orElseThrow().toString());
    assertEquals("DO00KEYID", bucket.connection().credentials().orElseThrow().accessKeyId());
    assertFalse(bucket.connection().toString().contains("s3cr3t"), "secrets never printed");
    var whole = assertInstanceOf(Config.SourceSpec.S3.class, s.get(6));
    assertEquals("other-bucket", whole.id());
    assertEquals("", whole.prefix());
  }

  @Test
  void bucketSettingsFallBackToTheAwsVariables() {
    Config config =
        ConfigLoader.load(
                env(
                    "ANCLA_SOURCES",
                    "s3://docs-bucket/a",
                    "AWS_ACCESS_KEY_ID",
                    "AKIAFALLBACK",
                    "AWS_SECRET_ACCESS_KEY",
                    "x",
                    "AWS_REGION",
                    "eu-west-1"),
                2)
            .config();
    var bucket = assertInstanceOf(Config.SourceSpec.S3.class, config.sources().getFirst());
    assertEquals("eu-west-1", bucket.connection().region());
    assertEquals("AKIAFALLBACK", bucket.connection().credentials().orElseThrow().accessKeyId());
    assertTrue(bucket.connection().endpoint().isEmpty());
    assertFalse(bucket.connection().pathStyle());
  }

  @Test
  void badSourcesAreAllReportedWithTheFix() {
    var e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    env(
                        "ANCLA_SOURCES",
                        "gdrive:, https://drive.google.com/file/d/abc/view, s3://Bad_Bucket,"
                            + " https://example.com/docs, s3://ok-bucket",
                        "ANCLA_S3_SOURCE_ACCESS_KEY_ID",
                        "only-the-id",
                        "ANCLA_S3_SOURCE_PATH_STYLE",
                        "maybe"),
                    2));
    String m = e.getMessage();
    assertTrue(m.contains("after gdrive: comes the folder's id"), m);
    assertTrue(m.contains("not a Drive folder link"), m);
    assertTrue(m.contains("names bucket \"Bad_Bucket\""), m);
    assertTrue(m.contains("only for Google Drive folders"), m);
    assertTrue(m.contains("ANCLA_S3_SOURCE_SECRET_ACCESS_KEY is not set"), m);
    assertTrue(m.contains("ANCLA_S3_SOURCE_PATH_STYLE is \"maybe\""), m);
    assertFalse(m.contains("only-the-id"), "a key is never echoed");
  }

  @Test
  void unsupportedSchemesSayWhatIsAccepted() {
    var e =
        assertThrows(
            ConfigException.class, () -> ConfigLoader.load(env("ANCLA_SOURCES", "ftp://abc"), 2));
    assertTrue(e.getMessage().contains("scheme ftp is not supported"), e.getMessage());
  }

  @Test
  void serverSettingsHaveSafeDefaults() {
    Config.ServerSpec server = ConfigLoader.load(env(), 2).config().server();
    assertEquals("0.0.0.0", server.host());
    assertEquals(8080, server.port());
    assertTrue(server.adminToken().isEmpty(), "no admin token: admin operations are refused");
    assertTrue(server.apiToken().isEmpty());
    assertEquals(java.util.List.of(), server.corsOrigins(), "CORS is off");
    assertEquals(java.time.Duration.ofSeconds(100), server.shutdownBudget());
  }

  @Test
  void syncIntervalIsOnByDefaultTakesUnitsAndCanBeTurnedOff() {
    Duration fifteen = ConfigLoader.load(env(), 2).config().server().syncInterval();
    assertEquals(Duration.ofMinutes(15), fifteen);
    assertEquals(Duration.ofSeconds(30), interval("30s"));
    assertEquals(Duration.ofHours(2), interval("2h"));
    assertEquals(Duration.ZERO, interval("off"));
    assertEquals(Duration.ZERO, interval("0"));
    for (String bad : new String[] {"15", "5x", "0m", "-1m", "200h"}) {
      var e =
          assertThrows(
              ConfigException.class,
              () -> ConfigLoader.load(env("ANCLA_SYNC_INTERVAL", bad), 2),
              bad);
      assertTrue(
          e.getMessage().contains("ANCLA_SYNC_INTERVAL is \"" + bad + "\"; expected a time"),
          e.getMessage());
      assertTrue(e.getMessage().contains("e.g. 15m, 30s or 1h, or 0 or off"), e.getMessage());
    }
  }

  private Duration interval(String raw) {
    return ConfigLoader.load(env("ANCLA_SYNC_INTERVAL", raw), 2).config().server().syncInterval();
  }

  @Test
  void badServerSettingsAreReportedTogetherWithoutEchoingSecrets() {
    String weak = "short-secret";
    var e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    env(
                        "ANCLA_PORT", "80800",
                        "ANCLA_HOST", "local host",
                        "ANCLA_ADMIN_TOKEN", weak,
                        "ANCLA_API_TOKEN", "has a space in it, 1234567",
                        "ANCLA_CORS_ORIGINS", "https://ok.example.com,kb.example.com/app",
                        "ANCLA_SHUTDOWN_SECONDS", "0"),
                    2));
    assertEquals(6, e.problems().size(), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("ANCLA_PORT is \"80800\"; expected a whole number from 0 to 65535"));
    assertTrue(e.getMessage().contains("ANCLA_HOST is \"local host\""));
    assertTrue(
        e.getMessage()
            .contains("ANCLA_ADMIN_TOKEN is set but too weak or malformed (12 characters)"));
    assertTrue(e.getMessage().contains("openssl rand -hex 32"));
    assertTrue(e.getMessage().contains("ANCLA_API_TOKEN is set but too weak"));
    assertTrue(e.getMessage().contains("ANCLA_CORS_ORIGINS has \"kb.example.com/app\""));
    assertTrue(e.getMessage().contains("ANCLA_SHUTDOWN_SECONDS is \"0\""));
    assertFalse(e.getMessage().contains(weak), "a token never appears in a message");
    assertFalse(e.getMessage().contains("has a space"), "a token never appears in a message");
  }

  /** App Platform, Cloud Run and Heroku say the port in PORT; ANCLA_PORT, when set, wins. */
  @Test
  void thePlatformsPortIsUsedWhenAnclaPortIsUnset() {
    assertEquals(9090, ConfigLoader.load(env("PORT", "9090"), 2).config().server().port());
    assertEquals(
        9090,
        ConfigLoader.load(env("PORT", "9090", "ANCLA_PORT", " "), 2).config().server().port());
    assertEquals(
        7000,
        ConfigLoader.load(env("PORT", "9090", "ANCLA_PORT", "7000"), 2).config().server().port());
    assertEquals(8080, ConfigLoader.load(env(), 2).config().server().port());
    var loaded = ConfigLoader.load(env("PORT", "9090"), 2);
    assertTrue(
        loaded.warnings().stream().noneMatch(w -> w.contains("PORT")),
        "PORT is known: " + loaded.warnings());
    var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(env("PORT", "http"), 2));
    assertTrue(e.getMessage().contains("PORT is \"http\""), e.getMessage());
    assertTrue(e.getMessage().contains("ANCLA_PORT overrides it"), e.getMessage());
  }

  @Test
  void tokensAndOriginsAreReadAndTokensNeverPrinted() {
    String admin = "0123456789abcdef0123456789abcdef";
    Config config =
        ConfigLoader.load(
                env(
                    "ANCLA_ADMIN_TOKEN", admin,
                    "ANCLA_API_TOKEN", "fedcba9876543210",
                    "ANCLA_CORS_ORIGINS", " https://kb.example.com , http://localhost:5173 ",
                    "ANCLA_PORT", "0"),
                2)
            .config();
    assertEquals(java.util.Optional.of(admin), config.server().adminToken());
    assertEquals(
        java.util.List.of("https://kb.example.com", "http://localhost:5173"),
        config.server().corsOrigins());
    assertEquals(0, config.server().port(), "0 picks a free port");
    assertFalse(config.toString().contains(admin), config.toString());
    assertFalse(config.toString().contains("fedcba9876543210"));
  }

  @Test
  void modelPrefixesAreReadAsTheyAreWithTheirSpaces() throws Exception {
    Path model = Files.createDirectories(dir.resolve("e5"));
    Files.writeString(model.resolve("model.onnx"), "x");
    Files.writeString(model.resolve("tokenizer.json"), "{}");
    Config config =
        ConfigLoader.load(
                env(
                    "ANCLA_MODEL_DIR",
                    model.toString(),
                    "ANCLA_MODEL_QUERY_PREFIX",
                    "query: ",
                    "ANCLA_MODEL_PASSAGE_PREFIX",
                    "passage: "),
                2)
            .config();
    assertEquals("query: ", config.model().queryPrefix());
    assertEquals("passage: ", config.model().passagePrefix());
    Config.ModelSpec plain = ConfigLoader.load(env(), 2).config().model();
    assertEquals("", plain.queryPrefix());
    assertEquals("", plain.passagePrefix());
  }

  @Test
  void vectorWeightsAreTheModelsOwn() throws Exception {
    assertEquals(
        VectorWeights.BUNDLED,
        ConfigLoader.load(env(), 2).config().model().vectorWeights(),
        "the bundled English model's measured weights");
    Path model = Files.createDirectories(dir.resolve("multilingual"));
    Files.writeString(model.resolve("model.onnx"), "x");
    Files.writeString(model.resolve("tokenizer.json"), "{}");
    assertEquals(
        VectorWeights.undeclared(),
        ConfigLoader.load(env("ANCLA_MODEL_DIR", model.toString()), 2)
            .config()
            .model()
            .vectorWeights(),
        "a model that declares nothing is not taken for an English one");
    Files.writeString(
        model.resolve("ancla-model.properties"), "# e5\nvector_weights = es=0.6,en=0.7\n");
    assertEquals(
        new VectorWeights(0.6, 0.7, 0.6),
        ConfigLoader.load(env("ANCLA_MODEL_DIR", model.toString()), 2)
            .config()
            .model()
            .vectorWeights());
    assertEquals(
        VectorWeights.uniform(0.2),
        ConfigLoader.load(
                env("ANCLA_MODEL_DIR", model.toString(), "ANCLA_VECTOR_WEIGHTS", "0.2"), 2)
            .config()
            .model()
            .vectorWeights(),
        "the variable wins over the folder");
    assertEquals(
        VectorWeights.undeclared(),
        ConfigLoader.load(
                env(
                    "ANCLA_EMBED_URL",
                    "http://127.0.0.1:9/v1",
                    "ANCLA_EMBED_MODEL",
                    "text-embedding-3-small"),
                2)
            .config()
            .model()
            .vectorWeights(),
        "an embeddings API's model is not the bundled one");
  }

  @Test
  void badVectorWeightsAreProblemsThatNameTheirPlace() throws Exception {
    var e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(env("ANCLA_VECTOR_WEIGHTS", "es=lots"), 2));
    assertTrue(e.getMessage().contains("ANCLA_VECTOR_WEIGHTS"), e.getMessage());
    Path model = Files.createDirectories(dir.resolve("m"));
    Files.writeString(model.resolve("model.onnx"), "x");
    Files.writeString(model.resolve("tokenizer.json"), "{}");
    Files.writeString(model.resolve("ancla-model.properties"), "vector_weights=fr=1\n");
    var declared =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(env("ANCLA_MODEL_DIR", model.toString()), 2));
    assertTrue(declared.getMessage().contains("ancla-model.properties"), declared.getMessage());
  }

  @Test
  void modelPrefixesWithoutAModelDirectoryAreWarnedAbout() {
    var loaded = ConfigLoader.load(env("ANCLA_MODEL_QUERY_PREFIX", "query: "), 2);
    assertEquals("", loaded.config().model().queryPrefix());
    assertTrue(
        loaded.warnings().stream().anyMatch(w -> w.startsWith("ANCLA_MODEL_QUERY_PREFIX")),
        loaded.warnings().toString());
  }

  @Test
  void indexUrlChoosesSolrAndRefusesWhatCannotWorkWithIt() {
    assertTrue(ConfigLoader.load(env(), 2).config().solr().isEmpty(), "unset: the local index");
    var solr =
        ConfigLoader.load(env("ANCLA_INDEX_URL", "solr://a:8983,b:7574/kb?replicas=3"), 2)
            .config()
            .solr()
            .orElseThrow();
    assertEquals("kb", solr.collection());
    assertEquals(2, solr.nodes().size());
    assertEquals(3, solr.replicas());

    var bad =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(env("ANCLA_INDEX_URL", "http://a:8983/solr/kb"), 2));
    assertTrue(bad.getMessage().contains("expected solr:// or solrs://"), bad.getMessage());

    var both =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    env(
                        "ANCLA_INDEX_URL",
                        "solr://a:8983/kb",
                        "ANCLA_SNAPSHOT_URL",
                        dir.toString()),
                    2));
    assertEquals(1, both.problems().size(), both.getMessage());
    assertTrue(both.getMessage().contains("Unset ANCLA_SNAPSHOT_URL"), both.getMessage());

    var hunspell =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    env("ANCLA_INDEX_URL", "solr://a:8983/kb", "ANCLA_STEMMER", "hunspell"), 2));
    assertEquals(1, hunspell.problems().size(), hunspell.getMessage());
    assertTrue(hunspell.getMessage().contains("Unset ANCLA_STEMMER"), hunspell.getMessage());
  }
}
