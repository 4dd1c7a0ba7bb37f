package dev.ancla.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.config.Config.DriveSpec;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the Google Drive variables ({@code ANCLA_DRIVE_*}). The key may be given as a file path, as
 * the JSON itself or as its base64 (App Platform secrets are environment variables). A message
 * about a bad key names the variable and never shows any part of the key.
 */
final class DriveSettings {
  private static final String KEY = "ANCLA_DRIVE_CREDENTIALS";
  private static final String HOW =
      "; expected a service-account key (the JSON file Google Cloud Console gives under"
          + " IAM > Service accounts > Keys > Add key > JSON), as a file path, the JSON itself or"
          + " its base64, e.g. ANCLA_DRIVE_CREDENTIALS=/run/secrets/drive-key.json";

  private final Map<String, String> values;
  private final List<String> problems;

  DriveSettings(Map<String, String> values, List<String> problems) {
    this.values = values;
    this.problems = problems;
  }

  Optional<DriveSpec> read() {
    int perSecond =
        ConfigLoader.integer(values, problems, "ANCLA_DRIVE_REQUESTS_PER_SECOND", 1, 10_000, "100");
    URI apiUrl = apiUrl();
    Optional<String> subject =
        Optional.of(ConfigLoader.text(values, "ANCLA_DRIVE_SUBJECT")).filter(s -> !s.isEmpty());
    if (subject.isPresent() && !subject.get().matches("[^@\\s]+@[^@\\s]+")) {
      problems.add(
          "ANCLA_DRIVE_SUBJECT is \""
              + subject.get()
              + "\"; expected the e-mail of a user to impersonate, e.g. docs@example.com");
    }
    String raw = ConfigLoader.text(values, KEY);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> json = json(raw);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> email = clientEmail(json.get());
    return email.map(e -> new DriveSpec(json.get(), e, subject, apiUrl, perSecond));
  }

  private URI apiUrl() {
    String raw = ConfigLoader.text(values, "ANCLA_DRIVE_API_URL");
    try {
      URI uri = new URI(raw.endsWith("/") ? raw : raw + "/");
      if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException _) {
      // reported below
    }
    problems.add(
        "ANCLA_DRIVE_API_URL is \""
            + raw
            + "\"; expected an http(s) URL, e.g. https://www.googleapis.com/");
    return URI.create("https://www.googleapis.com/");
  }

  /** The key's JSON text, from whichever of the three forms the variable holds. */
  private Optional<String> json(String raw) {
    if (raw.startsWith("{")) {
      return Optional.of(raw);
    }
    try {
      Path file = Path.of(raw);
      if (Files.isRegularFile(file)) {
        try {
          return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
          problems.add(KEY + " names the file " + file + ", which cannot be read: " + e);
          return Optional.empty();
        }
      }
    } catch (InvalidPathException _) {
      // not a path: maybe base64
    }
    try {
      String decoded =
          new String(Base64.getMimeDecoder().decode(raw), StandardCharsets.UTF_8).strip();
      if (decoded.startsWith("{")) {
        return Optional.of(decoded);
      }
    } catch (IllegalArgumentException _) {
      // reported below
    }
    problems.add(
        KEY + " is set but is neither an existing file, nor JSON, nor base64 of JSON" + HOW);
    return Optional.empty();
  }

  private Optional<String> clientEmail(String json) {
    JsonNode key;
    try {
      key = new ObjectMapper().readTree(json);
    } catch (IOException _) {
      problems.add(KEY + " is not valid JSON" + HOW);
      return Optional.empty();
    }
    if (key == null || !"service_account".equals(key.path("type").asText())) {
      problems.add(
          KEY + " is JSON but not a service-account key (\"type\" is not service_account)" + HOW);
      return Optional.empty();
    }
    String email = key.path("client_email").asText("");
    String privateKey = key.path("private_key").asText("");
    if (email.isEmpty() || !privateKey.contains("PRIVATE KEY")) {
      problems.add(KEY + " is a service-account key without client_email or private_key" + HOW);
      return Optional.empty();
    }
    return Optional.of(email);
  }
}
