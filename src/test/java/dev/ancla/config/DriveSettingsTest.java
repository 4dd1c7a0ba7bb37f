package dev.ancla.config;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriveSettingsTest {
  private static final String KEY =
      "{\"type\":\"service_account\",\"client_email\":\"reader@p.iam.gserviceaccount.com\","
          + "\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nMIIEsecretsecret\\n-----END PRIVATE KEY-----\\n\","
          + "\"token_uri\":\"https://oauth2.googleapis.com/token\"}";

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
  void withoutAKeyThereIsNoDriveAccessAndTheDefaultsHold() {
    Config config = ConfigLoader.load(env(), 2).config();
    assertEquals(Optional.empty(), config.drive());
  }

  @Test
  void theKeyIsAcceptedAsAFileAsJsonAndAsBase64() throws Exception {
    Path file = dir.resolve("key.json");
    Files.writeString(file, KEY);
    String base64 = Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8));
    for (String value : new String[] {file.toString(), KEY, base64}) {
      var drive =
          ConfigLoader.load(env("ANCLA_DRIVE_CREDENTIALS", value), 2)
              .config()
              .drive()
              .orElseThrow();
      assertEquals("reader@p.iam.gserviceaccount.com", drive.clientEmail());
      assertEquals(KEY, drive.credentialsJson());
      assertEquals(URI.create("https://www.googleapis.com/"), drive.apiUrl());
      assertEquals(100, drive.requestsPerSecond());
      assertFalse(drive.toString().contains("secret"), "toString hides the key");
    }
  }

  @Test
  void subjectApiUrlAndPaceAreRead() {
    var drive =
        ConfigLoader.load(
                env(
                    "ANCLA_DRIVE_CREDENTIALS", KEY,
                    "ANCLA_DRIVE_SUBJECT", "docs@example.com",
                    "ANCLA_DRIVE_API_URL", "http://127.0.0.1:9999",
                    "ANCLA_DRIVE_REQUESTS_PER_SECOND", "3"),
                2)
            .config()
            .drive()
            .orElseThrow();
    assertEquals(Optional.of("docs@example.com"), drive.subject());
    assertEquals(URI.create("http://127.0.0.1:9999/"), drive.apiUrl());
    assertEquals(3, drive.requestsPerSecond());
  }

  @Test
  void aBadKeyNamesTheVariableAndNeverEchoesIt() {
    String notAKey = "{\"type\":\"authorized_user\",\"client_secret\":\"hushhush\"}";
    for (String value :
        new String[] {
          "definitely-not-a-key hushhush",
          notAKey,
          "{not json hushhush",
          dir.resolve("missing.json") + "x"
        }) {
      var e =
          assertThrows(
              ConfigException.class,
              () -> ConfigLoader.load(env("ANCLA_DRIVE_CREDENTIALS", value), 2));
      assertTrue(e.getMessage().contains("ANCLA_DRIVE_CREDENTIALS"), e.getMessage());
      assertFalse(e.getMessage().contains("hushhush"), "never echoes the value: " + e.getMessage());
    }
  }

  @Test
  void aDriveSourceWithoutAKeyIsAProblemAtStart() {
    var e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(env("ANCLA_SOURCES", "gdrive:1AbCdEfGhIjKlMnOp"), 2));
    assertTrue(e.getMessage().contains("ANCLA_DRIVE_CREDENTIALS is not set"), e.getMessage());
  }

  @Test
  void badSubjectUrlAndPaceAreReportedTogether() {
    var e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    env(
                        "ANCLA_DRIVE_CREDENTIALS", KEY,
                        "ANCLA_DRIVE_SUBJECT", "not an email",
                        "ANCLA_DRIVE_API_URL", "ftp://x",
                        "ANCLA_DRIVE_REQUESTS_PER_SECOND", "0"),
                    2));
    assertEquals(3, e.problems().size(), e.getMessage());
  }
}
