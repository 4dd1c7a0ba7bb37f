package dev.ancla.config;

import dev.ancla.config.Config.S3Credentials;
import dev.ancla.config.Config.SnapshotSpec;
import dev.ancla.config.Config.SnapshotTarget;
import dev.ancla.config.Config.StoreTimeouts;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the snapshot variables: {@code ANCLA_SNAPSHOT_*}, {@code ANCLA_S3_*} and the standard AWS
 * ones. Problems are added to the loader's list, so they are reported with all the others.
 *
 * <p>Contract: no message ever echoes a secret. Values that may hold one (the keys, and a URL with
 * a user-info part) are named, never quoted.
 */
final class SnapshotSettings {
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private final Map<String, String> values;
  private final List<String> problems;
  private final List<String> warnings;

  SnapshotSettings(Map<String, String> values, List<String> problems, List<String> warnings) {
    this.values = values;
    this.problems = problems;
    this.warnings = warnings;
  }

  Optional<SnapshotSpec> read() {
    // numbers are checked even without a URL: a typo should not wait for the day snapshots start
    int keep = integer("ANCLA_SNAPSHOT_KEEP", 2, 100_000, "7");
    int graceMinutes = integer("ANCLA_SNAPSHOT_GC_GRACE_MINUTES", 1, 525_600, "60");
    int debounce = integer("ANCLA_SNAPSHOT_DEBOUNCE_SECONDS", 0, 86_400, "30");
    int shutdown = integer("ANCLA_SNAPSHOT_SHUTDOWN_SECONDS", 0, 3_600, "90");
    int threads = integer("ANCLA_SNAPSHOT_THREADS", 1, 64, "4");
    int lease = integer("ANCLA_SNAPSHOT_LEASE_SECONDS", 3, 86_400, "60");
    // how often a follower looks for a new manifest (and whether the writer's lease expired)
    int follow = integer("ANCLA_FOLLOW_SECONDS", 1, 3_600, "5");
    StoreTimeouts timeouts = timeouts();
    // how much of the store serve reads back in full per day to find blobs damaged in place
    int scrubMb = integer("ANCLA_SNAPSHOT_SCRUB_MB_PER_DAY", 0, 100_000_000, "1024");
    String raw = text("ANCLA_SNAPSHOT_URL");
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    Optional<SnapshotTarget> target;
    if (raw.regionMatches(true, 0, "s3://", 0, 5)) {
      target = s3(raw.substring(5), timeouts);
    } else if (raw.regionMatches(true, 0, "file:", 0, 5)) {
      target = fileUri(raw);
    } else if (raw.contains("://")) {
      String scheme = raw.substring(0, raw.indexOf("://"));
      problems.add(
          "ANCLA_SNAPSHOT_URL has scheme \""
              + scheme
              + "\"; expected s3://bucket/prefix or a folder path, e.g. s3://my-space/ancla");
      target = Optional.empty();
    } else {
      target = Optional.of(new SnapshotTarget.Folder(Path.of(raw).toAbsolutePath().normalize()));
    }
    if (target.isPresent() && target.get() instanceof SnapshotTarget.Folder) {
      for (String key : List.of("ANCLA_S3_ENDPOINT", "ANCLA_S3_PATH_STYLE")) {
        if (values.containsKey(key) && !values.get(key).isBlank()) {
          warnings.add(key + " applies only to an s3:// ANCLA_SNAPSHOT_URL; it is ignored");
        }
      }
    }
    return target.map(
        t ->
            new SnapshotSpec(
                t,
                keep,
                Duration.ofMinutes(graceMinutes),
                Duration.ofSeconds(debounce),
                Duration.ofSeconds(shutdown),
                threads,
                Duration.ofSeconds(lease),
                scrubMb * 1024L * 1024L,
                Duration.ofSeconds(follow)));
  }

  private Optional<SnapshotTarget> fileUri(String raw) {
    try {
      return Optional.of(
          new SnapshotTarget.Folder(Path.of(new URI(raw)).toAbsolutePath().normalize()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      problems.add(
          "ANCLA_SNAPSHOT_URL is \""
              + raw
              + "\", not a valid file: URI ("
              + e.getMessage()
              + "); e.g. file:///srv/snapshots or /srv/snapshots");
      return Optional.empty();
    }
  }

  private StoreTimeouts timeouts() {
    int connect = integer("ANCLA_SNAPSHOT_CONNECT_TIMEOUT_SECONDS", 1, 600, "10");
    int request = integer("ANCLA_SNAPSHOT_REQUEST_TIMEOUT_SECONDS", 1, 3_600, "30");
    int total = integer("ANCLA_SNAPSHOT_TOTAL_TIMEOUT_SECONDS", 1, 86_400, "120");
    int rate = integer("ANCLA_SNAPSHOT_MIN_KIB_PER_SECOND", 1, 1_048_576, "128");
    if (total < request) {
      problems.add(
          "ANCLA_SNAPSHOT_TOTAL_TIMEOUT_SECONDS is "
              + total
              + " but ANCLA_SNAPSHOT_REQUEST_TIMEOUT_SECONDS is "
              + request
              + "; the total bounds a call with all its retries, so it must be at least the"
              + " request timeout, e.g. 120 and 30");
    }
    return new StoreTimeouts(
        Duration.ofSeconds(connect),
        Duration.ofSeconds(request),
        Duration.ofSeconds(total),
        rate * 1024L);
  }

  private Optional<SnapshotTarget> s3(String rest, StoreTimeouts timeouts) {
    if (rest.contains("?")) {
      // s3://bucket/prefix?endpoint=...: a form other tools use; the endpoint has its own variable
      problems.add(
          "ANCLA_SNAPSHOT_URL has a query (\""
              + rest.substring(rest.indexOf('?'))
                  .replaceAll("(?i)(secret|key|token)=[^&]*", "$1=****")
              + "\"); it takes only s3://bucket/prefix. Set the endpoint with ANCLA_S3_ENDPOINT,"
              + " e.g. ANCLA_SNAPSHOT_URL=s3://my-space/ancla and"
              + " ANCLA_S3_ENDPOINT=https://fra1.digitaloceanspaces.com");
      return Optional.empty();
    }
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : normalizePrefix(rest.substring(slash + 1));
    int problemsBefore = problems.size();
    if (bucket.contains("@") || bucket.contains(":")) {
      // s3://KEY:SECRET@bucket: never echo it
      problems.add(
          "ANCLA_SNAPSHOT_URL must not contain credentials; set AWS_ACCESS_KEY_ID and"
              + " AWS_SECRET_ACCESS_KEY instead, e.g. ANCLA_SNAPSHOT_URL=s3://my-space/ancla");
    } else if (!BUCKET.matcher(bucket).matches()) {
      problems.add(
          "ANCLA_SNAPSHOT_URL names bucket \""
              + bucket
              + "\"; a bucket name is 3 to 63 lowercase letters, digits, dots and hyphens,"
              + " e.g. s3://my-space/ancla");
    }
    if (prefix.contains("..")) {
      problems.add(
          "ANCLA_SNAPSHOT_URL has prefix \""
              + prefix
              + "\"; '..' is not allowed, e.g. s3://my-space/ancla");
    }
    Optional<URI> endpoint = endpoint();
    String region = firstSet("AWS_REGION", "AWS_DEFAULT_REGION").orElse("us-east-1");
    boolean pathStyle = bool("ANCLA_S3_PATH_STYLE");
    Optional<S3Credentials> credentials = credentials();
    if (problems.size() > problemsBefore) {
      return Optional.empty();
    }
    return Optional.of(
        new SnapshotTarget.S3(bucket, prefix, endpoint, region, pathStyle, credentials, timeouts));
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

  /** ANCLA_S3_ENDPOINT, else the standard AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL. */
  private Optional<URI> endpoint() {
    return S3Endpoints.first(
        List.of("ANCLA_S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"),
        this::text,
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        problems);
  }

  private Optional<S3Credentials> credentials() {
    int problemsBefore = problems.size();
    for (String key : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")) {
      // a blank platform secret arrives as a set but empty variable: without this check the SDK
      // would fall back to its default chain, ask the cloud metadata address and fail with a page
      // of text that blames the network
      if (values.containsKey(key) && values.get(key).isBlank()) {
        problems.add(
            key
                + " is set but empty (a blank secret?); give it the key's value, or unset both"
                + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to use the AWS SDK's default"
                + " credential chain (profile, web identity, instance role)");
      }
    }
    if (problems.size() > problemsBefore) {
      return Optional.empty();
    }
    Optional<String> id = firstSet("AWS_ACCESS_KEY_ID");
    Optional<String> secret = firstSet("AWS_SECRET_ACCESS_KEY");
    if (id.isPresent() != secret.isPresent()) {
      problems.add(
          (id.isPresent() ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID")
              + " is not set but "
              + (id.isPresent() ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY")
              + " is; set both, or neither to use the AWS SDK's default credential chain");
      return Optional.empty();
    }
    return id.map(i -> new S3Credentials(i, secret.get(), firstSet("AWS_SESSION_TOKEN")));
  }

  private boolean bool(String key) {
    String raw = text(key).toLowerCase(Locale.ROOT);
    return switch (raw) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> {
        problems.add(key + " is \"" + raw + "\"; expected true or false, e.g. true for MinIO");
        yield false;
      }
    };
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

  private int integer(String key, int min, int max, String example) {
    return ConfigLoader.integer(values, problems, key, min, max, example);
  }
}
