package dev.ancla.ingest.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParseLimitsTest {
  @Test
  void defaultsWhenTheEnvironmentSaysNothing() {
    assertEquals(
        new ParseLimits(64L << 20, 1_000_000, Duration.ofSeconds(60)),
        ParseLimits.fromEnv(Map.of()));
  }

  @Test
  void readsTheEnvironment() {
    var limits =
        ParseLimits.fromEnv(
            Map.of(
                "ANCLA_MAX_FILE_MB", "10",
                "ANCLA_MAX_CHARS", "5000",
                "ANCLA_PARSE_TIMEOUT_SECONDS", " 5 "));
    assertEquals(new ParseLimits(10L << 20, 5000, Duration.ofSeconds(5)), limits);
  }

  @Test
  void reportsEveryBadValueAtOnce() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ParseLimits.fromEnv(
                    Map.of("ANCLA_MAX_FILE_MB", "lots", "ANCLA_PARSE_TIMEOUT_SECONDS", "-1")));
    assertTrue(e.getMessage().contains("ANCLA_MAX_FILE_MB is \"lots\""), e.getMessage());
    assertTrue(e.getMessage().contains("ANCLA_PARSE_TIMEOUT_SECONDS is \"-1\""), e.getMessage());
  }
}
