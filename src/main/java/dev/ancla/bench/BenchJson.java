package dev.ancla.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Benchmark results: one JSON object per line on stdout, so scripts can take the last line. */
final class BenchJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private BenchJson() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON for " + value.getClass(), e);
    }
  }
}
