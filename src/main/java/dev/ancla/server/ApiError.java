package dev.ancla.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer other than success that the client can act on. {@link HttpApi} renders every one the
 * same way: the status, and a JSON object with {@code error} (what was wrong and what is accepted)
 * plus any details. Messages never contain a secret.
 */
final class ApiError extends RuntimeException {
  private final int status;
  private final Map<String, Object> details;

  private ApiError(int status, String message, Map<String, Object> details) {
    super(message, null, false, false); // an expected answer: no stack trace to fill
    this.status = status;
    this.details = Map.copyOf(details);
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, message, Map.of());
  }

  static ApiError unauthorized(String message) {
    return new ApiError(401, message, Map.of());
  }

  static ApiError forbidden(String message) {
    return new ApiError(403, message, Map.of());
  }

  static ApiError notFound(String message) {
    return new ApiError(404, message, Map.of());
  }

  static ApiError notAcceptable(String message) {
    return new ApiError(406, message, Map.of());
  }

  static ApiError conflict(String message, Map<String, Object> details) {
    return new ApiError(409, message, details);
  }

  static ApiError tooLarge(String message) {
    return new ApiError(413, message, Map.of());
  }

  /** 502: a service Ancla depends on (the snapshot store) failed or did not answer in time. */
  static ApiError badGateway(String message) {
    return new ApiError(502, message, Map.of());
  }

  static ApiError unavailable(String message) {
    return new ApiError(503, message, Map.of());
  }

  int status() {
    return status;
  }

  /** The response body. */
  Map<String, Object> body() {
    var body = new LinkedHashMap<String, Object>();
    body.put("error", getMessage());
    body.putAll(details);
    return body;
  }
}
