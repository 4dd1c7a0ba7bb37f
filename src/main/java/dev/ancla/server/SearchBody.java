package dev.ancla.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.query.Filter;
import java.util.Optional;
import java.util.Set;

/**
 * A validated {@code POST /api/search} body: a text query ({@code q}, searched like {@code GET
 * /api/search}) or a query vector ({@code vector}, kNN only), never both; {@code k} and the filters
 * as in the GET parameters. The vector's length is checked against the index later, by the route,
 * which knows the index.
 *
 * @param vector finite numbers, unit length (normalized here when it was not)
 */
record SearchBody(Optional<String> query, Optional<float[]> vector, int k, Filter filter) {
  static final Set<String> FIELDS = Set.of("q", "vector", "k", "source", "path", "type");
  static final String EXAMPLE =
      "{\"q\": \"copias de seguridad\", \"k\": 8} or {\"vector\": [0.0132, -0.0871, ...], \"k\": 8}";

  /** Vectors within this of unit length (squared) are taken as they are, bit for bit. */
  private static final double UNIT_TOLERANCE = 1e-4;

  static SearchBody parse(byte[] body) {
    JsonBody json = JsonBody.parse(body, "POST /api/search", FIELDS, EXAMPLE);
    boolean text = json.has("q");
    boolean vector = json.has("vector");
    if (text == vector) {
      throw ApiError.badRequest(
          (text ? "give either 'q' or 'vector', not both" : "'q' or 'vector' is required")
              + "; e.g. "
              + EXAMPLE);
    }
    int k = json.integer("k", 1, SearchRoutes.MAX_K, SearchRoutes.DEFAULT_K);
    Filter filter = json.filter();
    if (text) {
      String q =
          json.text("q", SearchRoutes.MAX_QUERY_CHARS)
              .orElseThrow(); // given, and text() refuses a blank one
      return new SearchBody(Optional.of(q), Optional.empty(), k, filter);
    }
    return new SearchBody(
        Optional.empty(), Optional.of(unit(numbers(json.get("vector")))), k, filter);
  }

  private static float[] numbers(JsonNode value) {
    if (!value.isArray() || value.isEmpty()) {
      throw ApiError.badRequest(
          "'vector' must be a non-empty array of numbers, got "
              + Params.abbreviate(value.toString())
              + "; e.g. "
              + EXAMPLE);
    }
    float[] vector = new float[value.size()];
    for (int i = 0; i < vector.length; i++) {
      JsonNode element = value.get(i);
      float f = element.isNumber() ? (float) element.doubleValue() : Float.NaN;
      if (!Float.isFinite(f)) {
        throw ApiError.badRequest(
            "'vector'["
                + i
                + "] is "
                + Params.abbreviate(element.toString())
                + "; every element must be a finite number (within ±3.4e38), e.g. "
                + EXAMPLE);
      }
      vector[i] = f;
    }
    return vector;
  }

  /**
   * The vector scaled to unit length. Chunk vectors are unit vectors compared by dot product, so
   * this ranks by cosine similarity whatever the caller's scale; a vector of unit length already
   * (what embedding models return) is used unchanged.
   */
  private static float[] unit(float[] vector) {
    double sumSquares = 0;
    for (float v : vector) {
      sumSquares += (double) v * v;
    }
    if (sumSquares == 0) {
      throw ApiError.badRequest(
          "'vector' is all zeros, which has no direction to search in; e.g. " + EXAMPLE);
    }
    if (Math.abs(sumSquares - 1) <= UNIT_TOLERANCE) {
      return vector;
    }
    double norm = Math.sqrt(sumSquares);
    float[] unit = new float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      unit[i] = (float) (vector[i] / norm);
    }
    return unit;
  }
}
