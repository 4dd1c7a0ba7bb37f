package dev.ancla.config;

import dev.ancla.config.Config.S3Connection;
import dev.ancla.config.Config.S3Credentials;
import dev.ancla.config.Config.SourceSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code ANCLA_SOURCES}, a comma-separated mix of folder paths (or {@code file:} URIs),
 * {@code gdrive:FOLDER_ID}, {@code gdrive-shared:DRIVE_ID}, pasted Drive folder URLs and {@code
 * s3://bucket/prefix}, and the {@code ANCLA_S3_SOURCE_*} variables of the document buckets.
 * Problems join the loader's list. No message echoes a secret.
 */
final class SourceSettings {
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern DRIVE_ID = Pattern.compile("[A-Za-z0-9_-]{5,}");

  /** {@code https://drive.google.com/drive/folders/ID}, also under {@code /drive/u/N/}. */
  private static final Pattern DRIVE_FOLDER_URL =
      Pattern.compile("/drive/(?:u/\\d+/)?folders/([A-Za-z0-9_-]+)/?");

  private static final String EXAMPLES =
      "e.g. ./docs, gdrive:1AbCdEfGhIjKlMnOpQrStUvWxYz012345, gdrive-shared:0AbCdEfGhIjKlUk9PVA,"
          + " https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOpQrStUvWxYz012345 or"
          + " s3://my-bucket/docs";

  private final Map<String, String> values;
  private final List<String> problems;
  private final List<String> warnings;
  private final Set<String> ids = new HashSet<>();
  private S3Connection s3; // read once, when the first s3:// source needs it

  SourceSettings(Map<String, String> values, List<String> problems, List<String> warnings) {
    this.values = values;
    this.problems = problems;
    this.warnings = warnings;
  }

  List<SourceSpec> read(Path dataDir) {
    var result = new ArrayList<SourceSpec>();
    int problemsBefore = problems.size();
    for (String part : text("ANCLA_SOURCES").split(",")) {
      String item = part.strip();
      if (!item.isEmpty()) {
        parse(item, dataDir).ifPresent(result::add);
      }
    }
    if (result.isEmpty() && problems.size() == problemsBefore) {
      problems.add("ANCLA_SOURCES is empty; name at least one source, " + EXAMPLES);
    }
    if (s3 == null) {
      for (String key :
          List.of(
              "ANCLA_S3_SOURCE_ENDPOINT",
              "ANCLA_S3_SOURCE_REGION",
              "ANCLA_S3_SOURCE_ACCESS_KEY_ID",
              "ANCLA_S3_SOURCE_SECRET_ACCESS_KEY",
              "ANCLA_S3_SOURCE_PATH_STYLE")) {
        if (values.containsKey(key) && !values.get(key).isBlank()) {
          warnings.add(key + " applies only to s3:// sources in ANCLA_SOURCES; it is ignored");
        }
      }
    }
    return result;
  }

  private Optional<SourceSpec> parse(String item, Path dataDir) {
    String lower = item.toLowerCase(Locale.ROOT);
    if (lower.startsWith("gdrive:")) {
      return drive(item, item.substring("gdrive:".length()), false);
    }
    if (lower.startsWith("gdrive-shared:")) {
      return drive(item, item.substring("gdrive-shared:".length()), true);
    }
    if (lower.startsWith("s3://")) {
      return s3(item.substring(5));
    }
    if (lower.startsWith("https://") || lower.startsWith("http://")) {
      return driveUrl(item);
    }
    if (item.contains("://") || lower.startsWith("file:")) {
      return fileUri(item).flatMap(path -> folder(item, path, dataDir));
    }
    return folder(item, Path.of(item).toAbsolutePath().normalize(), dataDir);
  }

  private Optional<SourceSpec> folder(String item, Path path, Path dataDir) {
    if (!Files.isDirectory(path)) {
      problems.add("ANCLA_SOURCES names \"" + item + "\", which is not a directory (" + path + ")");
      return Optional.empty();
    }
    if (dataDir.equals(path)) {
      problems.add("ANCLA_SOURCES names the data directory itself (" + path + ")");
      return Optional.empty();
    }
    String base = path.getFileName() == null ? "root" : path.getFileName().toString();
    return Optional.of(new SourceSpec.Folder(unique(base), path));
  }

  private Optional<Path> fileUri(String item) {
    try {
      URI uri = new URI(item);
      if ("file".equalsIgnoreCase(uri.getScheme())) {
        return Optional.of(Path.of(uri).toAbsolutePath().normalize());
      }
      problems.add(
          "ANCLA_SOURCES has \""
              + item
              + "\": scheme "
              + uri.getScheme()
              + " is not supported; use a folder path, a file: URI, gdrive:, gdrive-shared: or"
              + " s3://, "
              + EXAMPLES);
    } catch (URISyntaxException | IllegalArgumentException e) {
      problems.add(
          "ANCLA_SOURCES has \"" + item + "\", which is not a valid URI: " + e.getMessage());
    }
    return Optional.empty();
  }

  private Optional<SourceSpec> drive(String item, String id, boolean shared) {
    String trimmed = id.strip();
    if (!DRIVE_ID.matcher(trimmed).matches()) {
      problems.add(
          "ANCLA_SOURCES has \""
              + item
              + "\"; after "
              + (shared ? "gdrive-shared:" : "gdrive:")
              + " comes the "
              + (shared ? "shared drive's" : "folder's")
              + " id (letters, digits, '-' and '_', from its URL), "
              + EXAMPLES);
      return Optional.empty();
    }
    String base = (shared ? "gdrive-shared-" : "gdrive-") + trimmed;
    return Optional.of(new SourceSpec.Drive(unique(base), trimmed, shared));
  }

  /** A Drive folder URL as pasted from the browser or a sharing dialog: {@code gdrive:ID}. */
  private Optional<SourceSpec> driveUrl(String item) {
    URI uri;
    try {
      uri = new URI(item);
    } catch (URISyntaxException e) {
      problems.add(
          "ANCLA_SOURCES has \"" + item + "\", which is not a valid URL: " + e.getMessage());
      return Optional.empty();
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (host.equals("drive.google.com")) {
      Matcher folder = DRIVE_FOLDER_URL.matcher(path);
      if (folder.matches()) {
        return drive(item, folder.group(1), false);
      }
      problems.add(
          "ANCLA_SOURCES has \""
              + item
              + "\", which is not a Drive folder link; open the folder in Drive and copy its"
              + " address (https://drive.google.com/drive/folders/ID), or write gdrive:ID");
      return Optional.empty();
    }
    problems.add(
        "ANCLA_SOURCES has \""
            + item
            + "\"; web addresses are read only for Google Drive folders, "
            + EXAMPLES);
    return Optional.empty();
  }

  private Optional<SourceSpec> s3(String rest) {
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : normalizePrefix(rest.substring(slash + 1));
    if (bucket.contains("@") || bucket.contains(":")) {
      problems.add(
          "ANCLA_SOURCES must not contain credentials in an s3:// source; set"
              + " ANCLA_S3_SOURCE_ACCESS_KEY_ID and ANCLA_S3_SOURCE_SECRET_ACCESS_KEY instead");
      return Optional.empty();
    }
    if (!BUCKET.matcher(bucket).matches()) {
      problems.add(
          "ANCLA_SOURCES names bucket \""
              + bucket
              + "\"; a bucket name is 3 to 63 lowercase letters, digits, dots and hyphens,"
              + " e.g. s3://my-bucket/docs");
      return Optional.empty();
    }
    if (prefix.contains("..")) {
      problems.add(
          "ANCLA_SOURCES has prefix \"" + prefix + "\"; '..' is not allowed, e.g. s3://b/docs");
      return Optional.empty();
    }
    if (s3 == null) {
      s3 = connection();
    }
    String base = prefix.isEmpty() ? bucket : prefix.substring(prefix.lastIndexOf('/') + 1);
    return Optional.of(new SourceSpec.S3(unique(base), bucket, prefix, s3));
  }

  private S3Connection connection() {
    Optional<URI> endpoint =
        endpoint("ANCLA_S3_SOURCE_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL");
    String region =
        firstSet("ANCLA_S3_SOURCE_REGION", "AWS_REGION", "AWS_DEFAULT_REGION").orElse("us-east-1");
    String style = text("ANCLA_S3_SOURCE_PATH_STYLE").toLowerCase(Locale.ROOT);
    boolean pathStyle =
        switch (style) {
          case "true", "yes", "1" -> true;
          case "false", "no", "0", "" -> false;
          default -> {
            problems.add(
                "ANCLA_S3_SOURCE_PATH_STYLE is \""
                    + style
                    + "\"; expected true or false, e.g. true for MinIO");
            yield false;
          }
        };
    return new S3Connection(endpoint, region, pathStyle, credentials());
  }

  /**
   * ANCLA_S3_SOURCE_ACCESS_KEY_ID and ANCLA_S3_SOURCE_SECRET_ACCESS_KEY, else the standard AWS
   * ones, else none (the SDK's default chain).
   */
  private Optional<S3Credentials> credentials() {
    for (String[] pair :
        List.of(
            new String[] {"ANCLA_S3_SOURCE_ACCESS_KEY_ID", "ANCLA_S3_SOURCE_SECRET_ACCESS_KEY"},
            new String[] {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"})) {
      Optional<String> id = firstSet(pair[0]);
      Optional<String> secret = firstSet(pair[1]);
      if (id.isPresent() != secret.isPresent()) {
        problems.add(
            (id.isPresent() ? pair[1] : pair[0])
                + " is not set but "
                + (id.isPresent() ? pair[0] : pair[1])
                + " is; set both");
        return Optional.empty();
      }
      if (id.isPresent()) {
        Optional<String> token =
            pair[0].startsWith("AWS_") ? firstSet("AWS_SESSION_TOKEN") : Optional.empty();
        return Optional.of(new S3Credentials(id.get(), secret.get(), token));
      }
    }
    return Optional.empty();
  }

  private Optional<URI> endpoint(String... keys) {
    return S3Endpoints.first(
        List.of(keys),
        this::text,
        "ANCLA_S3_SOURCE_ACCESS_KEY_ID and ANCLA_S3_SOURCE_SECRET_ACCESS_KEY",
        problems);
  }

  private String unique(String base) {
    String id = base;
    for (int n = 2; !ids.add(id); n++) {
      id = base + "-" + n;
    }
    return id;
  }

  private static String normalizePrefix(String prefix) {
    StringBuilder out = new StringBuilder();
    for (String part : prefix.split("/")) {
      if (!part.isEmpty()) {
        out.append(out.isEmpty() ? "" : "/").append(part);
      }
    }
    return out.toString();
  }

  private Optional<String> firstSet(String... keys) {
    for (String key : keys) {
      String value = text(key);
      if (!value.isEmpty()) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  private String text(String key) {
    return ConfigLoader.text(values, key);
  }
}
