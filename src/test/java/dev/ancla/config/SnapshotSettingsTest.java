package dev.ancla.config;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config.SnapshotTarget;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotSettingsTest {
  @TempDir Path dir;

  private Map<String, String> env(String... pairs) throws Exception {
    var env = new HashMap<String, String>();
    env.put("ANCLA_DATA_DIR", dir.resolve("data").toString());
    env.put("ANCLA_SOURCES", Files.createDirectories(dir.resolve("docs")).toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private Config load(Map<String, String> env) {
    return ConfigLoader.load(env, 4).config();
  }

  @Test
  void noUrlMeansNoSnapshots() throws Exception {
    assertTrue(load(env()).snapshots().isEmpty());
  }

  @Test
  void aSpacesUrlWithTheStandardAwsVariables() throws Exception {
    var spec =
        load(env(
                "ANCLA_SNAPSHOT_URL", "s3://my-space/ancla/prod/",
                "AWS_ENDPOINT_URL_S3", "https://fra1.digitaloceanspaces.com",
                "AWS_REGION", "fra1",
                "AWS_ACCESS_KEY_ID", "DO00EXAMPLEKEYID",
                "AWS_SECRET_ACCESS_KEY", "exampleSecretValue"))
            .snapshots()
            .orElseThrow();
    var s3 = assertInstanceOf(SnapshotTarget.S3.class, spec.target());
    assertEquals("my-space", s3.bucket());
    assertEquals("ancla/prod", s3.prefix());
    assertEquals(URI.create("https://fra1.digitaloceanspaces.com"), s3.endpoint().orElseThrow());
    assertEquals("fra1", s3.region());
    assertFalse(s3.pathStyle());
    assertEquals("DO00EXAMPLEKEYID", s3.credentials().orElseThrow().accessKeyId());
    assertEquals(7, spec.keep());
    assertEquals(Duration.ofMinutes(60), spec.gcGrace());
    assertEquals(4, spec.threads());
    assertFalse(spec.toString().contains("exampleSecretValue"), spec.toString());
    assertFalse(spec.toString().contains("DO00EXAMPLEKEYID"), spec.toString());
  }

  @Test
  void anclaS3EndpointWinsAndCredentialsMayComeFromTheSdkChain() throws Exception {
    var s3 =
        (SnapshotTarget.S3)
            load(env(
                    "ANCLA_SNAPSHOT_URL", "s3://minio-bucket",
                    "ANCLA_S3_ENDPOINT", "http://minio:9000",
                    "AWS_ENDPOINT_URL_S3", "https://ignored.example.com",
                    "ANCLA_S3_PATH_STYLE", "true"))
                .snapshots()
                .orElseThrow()
                .target();
    assertEquals(URI.create("http://minio:9000"), s3.endpoint().orElseThrow());
    assertTrue(s3.pathStyle());
    assertEquals("", s3.prefix());
    assertTrue(s3.credentials().isEmpty());
    assertEquals("us-east-1", s3.region());
  }

  @Test
  void anEndpointInTheUrlIsAnErrorNamingTheVariableForIt() {
    var e =
        assertThrows(
            ConfigException.class,
            () ->
                load(
                    env(
                        "ANCLA_SNAPSHOT_URL",
                        "s3://mi-space/ancla?endpoint=https://fra1.digitaloceanspaces.com&secret=abc")));
    assertTrue(e.getMessage().contains("ANCLA_S3_ENDPOINT=https://fra1.digitaloceanspaces.com"));
    assertFalse(e.getMessage().contains("abc"), e.getMessage());
  }

  @Test
  void aFolderPath() throws Exception {
    var spec =
        load(env("ANCLA_SNAPSHOT_URL", dir.resolve("backups").toString()))
            .snapshots()
            .orElseThrow();
    assertEquals(new SnapshotTarget.Folder(dir.resolve("backups")), spec.target());
  }

  @Test
  void everyProblemIsReportedAtOnceWithoutEchoingSecrets() throws Exception {
    var e =
        assertThrows(
            ConfigException.class,
            () ->
                load(
                    env(
                        "ANCLA_SNAPSHOT_URL", "s3://AB",
                        "ANCLA_SNAPSHOT_KEEP", "1",
                        "ANCLA_S3_PATH_STYLE", "maybe",
                        "AWS_ENDPOINT_URL_S3", "ftp://x",
                        "AWS_SECRET_ACCESS_KEY", "lonelySecretValue")));
    String all = String.join("\n", e.problems());
    assertEquals(5, e.problems().size(), all);
    assertTrue(all.contains("bucket \"AB\""), all);
    assertTrue(all.contains("ANCLA_SNAPSHOT_KEEP is \"1\""), all);
    assertTrue(all.contains("ANCLA_S3_PATH_STYLE is \"maybe\""), all);
    assertTrue(all.contains("AWS_ENDPOINT_URL_S3 is \"ftp://x\""), all);
    assertTrue(all.contains("AWS_ACCESS_KEY_ID is not set"), all);
    assertFalse(all.contains("lonelySecretValue"), all);
  }

  @Test
  void credentialsInTheUrlAreRefusedWithoutBeingRepeated() throws Exception {
    var e =
        assertThrows(
            ConfigException.class,
            () -> load(env("ANCLA_SNAPSHOT_URL", "s3://KEYID:topSecret@bucket/x")));
    assertTrue(e.getMessage().contains("must not contain credentials"), e.getMessage());
    assertFalse(e.getMessage().contains("topSecret"), e.getMessage());
  }

  @Test
  void blankKeysFromAnEmptyPlatformSecretAreAConfigurationErrorNamingEachVariable()
      throws Exception {
    var e =
        assertThrows(
            ConfigException.class,
            () ->
                load(
                    env(
                        "ANCLA_SNAPSHOT_URL", "s3://my-space/ancla",
                        "AWS_ACCESS_KEY_ID", "",
                        "AWS_SECRET_ACCESS_KEY", "  ")));
    String all = String.join("\n", e.problems());
    assertEquals(2, e.problems().size(), all);
    assertTrue(all.contains("AWS_ACCESS_KEY_ID is set but empty"), all);
    assertTrue(all.contains("AWS_SECRET_ACCESS_KEY is set but empty"), all);
    var one =
        assertThrows(
            ConfigException.class,
            () ->
                load(
                    env(
                        "ANCLA_SNAPSHOT_URL", "s3://my-space/ancla",
                        "AWS_ACCESS_KEY_ID", "DO00EXAMPLEKEYID",
                        "AWS_SECRET_ACCESS_KEY", "")));
    assertEquals(1, one.problems().size(), one.getMessage());
    assertTrue(
        one.getMessage().contains("AWS_SECRET_ACCESS_KEY is set but empty"), one.getMessage());
  }

  @Test
  void storeTimeoutsHaveDefaultsAndBounds() throws Exception {
    var s3 =
        (SnapshotTarget.S3)
            load(env("ANCLA_SNAPSHOT_URL", "s3://my-space/ancla"))
                .snapshots()
                .orElseThrow()
                .target();
    assertEquals(Config.StoreTimeouts.DEFAULTS, s3.timeouts());
    var set =
        (SnapshotTarget.S3)
            load(env(
                    "ANCLA_SNAPSHOT_URL", "s3://my-space/ancla",
                    "ANCLA_SNAPSHOT_CONNECT_TIMEOUT_SECONDS", "3",
                    "ANCLA_SNAPSHOT_REQUEST_TIMEOUT_SECONDS", "7",
                    "ANCLA_SNAPSHOT_TOTAL_TIMEOUT_SECONDS", "40",
                    "ANCLA_SNAPSHOT_MIN_KIB_PER_SECOND", "1024"))
                .snapshots()
                .orElseThrow()
                .target();
    assertEquals(
        new Config.StoreTimeouts(
            Duration.ofSeconds(3), Duration.ofSeconds(7), Duration.ofSeconds(40), 1 << 20),
        set.timeouts());
    // a 64 MiB blob at the slowest 1 MiB/s gets 64 s on top, per attempt and in total
    assertEquals(Duration.ofSeconds(71), set.timeouts().attempt(64L << 20));
    assertEquals(Duration.ofSeconds(104), set.timeouts().call(64L << 20));
    var e =
        assertThrows(
            ConfigException.class,
            () ->
                load(
                    env(
                        "ANCLA_SNAPSHOT_URL", "s3://my-space/ancla",
                        "ANCLA_SNAPSHOT_REQUEST_TIMEOUT_SECONDS", "60",
                        "ANCLA_SNAPSHOT_TOTAL_TIMEOUT_SECONDS", "10",
                        "ANCLA_SNAPSHOT_CONNECT_TIMEOUT_SECONDS", "0")));
    String all = String.join("\n", e.problems());
    assertEquals(2, e.problems().size(), all);
    assertTrue(all.contains("ANCLA_SNAPSHOT_CONNECT_TIMEOUT_SECONDS is \"0\""), all);
    assertTrue(all.contains("at least the request timeout"), all);
  }

  @Test
  void otherSchemesAreRefused() throws Exception {
    var e =
        assertThrows(ConfigException.class, () -> load(env("ANCLA_SNAPSHOT_URL", "gs://bucket/x")));
    assertTrue(e.getMessage().contains("scheme \"gs\""), e.getMessage());
  }

  @Test
  void everyVariableIsInTheReadmeTable() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (String key : ConfigLoader.DEFAULTS.keySet()) {
      assertTrue(readme.contains("| `" + key + "` |"), key + " is missing from README.md's table");
    }
  }
}
