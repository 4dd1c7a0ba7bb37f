package dev.ancla.ingest.parse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How much one parse may take.
 *
 * @param maxFileBytes files larger than this are refused before any parsing ({@code
 *     ANCLA_MAX_FILE_MB})
 * @param maxChars text beyond this many characters is dropped and the document marked truncated
 *     ({@code ANCLA_MAX_CHARS})
 * @param timeout a parse that takes longer is abandoned ({@code ANCLA_PARSE_TIMEOUT_SECONDS})
 */
public record ParseLimits(long maxFileBytes, int maxChars, Duration timeout) {
  public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;
  public static final int DEFAULT_MAX_CHARS = 1_000_000;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public ParseLimits {
    if (maxFileBytes < 1) {
      throw new IllegalArgumentException(
          "maxFileBytes is " + maxFileBytes + "; expected at least 1, e.g. 67108864 (64 MiB)");
    }
    if (maxChars < 1) {
      throw new IllegalArgumentException(
          "maxChars is " + maxChars + "; expected at least 1, e.g. 1000000");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "timeout is " + timeout + "; expected a positive duration, e.g. PT60S");
    }
  }

  /** 64 MiB, 1,000,000 characters, 60 seconds. */
  public static ParseLimits defaults() {
    return new ParseLimits(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_CHARS, DEFAULT_TIMEOUT);
  }

  /**
   * Reads {@code ANCLA_MAX_FILE_MB}, {@code ANCLA_MAX_CHARS} and {@code
   * ANCLA_PARSE_TIMEOUT_SECONDS}; absent ones keep their defaults. A map, not System.getenv(), so
   * tests can pass Map.of(...). Every malformed value is reported in one exception.
   */
  public static ParseLimits fromEnv(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    long megabytes =
        positive(env, "ANCLA_MAX_FILE_MB", DEFAULT_MAX_FILE_BYTES >> 20, "64", problems);
    long chars = positive(env, "ANCLA_MAX_CHARS", DEFAULT_MAX_CHARS, "1000000", problems);
    long seconds =
        positive(env, "ANCLA_PARSE_TIMEOUT_SECONDS", DEFAULT_TIMEOUT.toSeconds(), "60", problems);
    if (chars > Integer.MAX_VALUE) {
      problems.add("ANCLA_MAX_CHARS is " + chars + "; the most it can be is " + Integer.MAX_VALUE);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid parse limits:\n- " + String.join("\n- ", problems));
    }
    return new ParseLimits(megabytes << 20, (int) chars, Duration.ofSeconds(seconds));
  }

  private static long positive(
      Map<String, String> env, String key, long fallback, String example, List<String> problems) {
    String raw = env.get(key);
    if (raw == null || raw.isBlank()) return fallback;
    try {
      long value = Long.parseLong(raw.strip());
      if (value >= 1 && value <= (1L << 40)) return value;
    } catch (NumberFormatException _) {
      // reported below with the raw value
    }
    problems.add(key + " is \"" + raw + "\"; expected a positive whole number, e.g. " + example);
    return fallback;
  }
}
