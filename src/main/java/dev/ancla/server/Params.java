package dev.ancla.server;

import io.javalin.http.Context;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads query parameters strictly: an unknown, repeated, blank or out-of-range parameter is a 400
 * that names the parameter, echoes the value, says what is accepted and gives an example.
 */
final class Params {
  private Params() {}

  /** Refuses parameters the endpoint does not know, and any given twice. */
  static void allowOnly(Context ctx, Set<String> known, String example) {
    for (var param : ctx.queryParamMap().entrySet()) {
      if (!known.contains(param.getKey())) {
        throw ApiError.badRequest(
            "unknown parameter '"
                + param.getKey()
                + "'; "
                + ctx.path()
                + " accepts "
                + String.join(", ", new TreeSet<>(known))
                + ", e.g. "
                + example);
      }
      if (param.getValue().size() > 1) {
        throw ApiError.badRequest(
            "parameter '"
                + param.getKey()
                + "' is given "
                + param.getValue().size()
                + " times; give it once, e.g. "
                + example);
      }
    }
  }

  /** Present and not blank; at most {@code maxLength} characters. */
  static String required(Context ctx, String name, int maxLength, String example) {
    return optional(ctx, name, maxLength, example)
        .orElseThrow(
            () ->
                ApiError.badRequest(
                    "'" + name + "' is required and must not be blank, e.g. " + example));
  }

  /** Absent is fine; present but blank or too long is not. */
  static Optional<String> optional(Context ctx, String name, int maxLength, String example) {
    String raw = ctx.queryParam(name);
    return raw == null ? Optional.empty() : Optional.of(text(name, raw, maxLength, example));
  }

  /**
   * A given text value, from a query parameter or a JSON body, stripped: a blank one or one longer
   * than {@code maxLength} is a bad request.
   */
  static String text(String name, String raw, int maxLength, String example) {
    if (raw.isBlank()) {
      throw ApiError.badRequest(
          "'" + name + "' is blank; leave it out or give a value, e.g. " + example);
    }
    if (raw.length() > maxLength) {
      throw ApiError.badRequest(
          "'"
              + name
              + "' is "
              + raw.length()
              + " characters long; at most "
              + maxLength
              + " are accepted, e.g. "
              + example);
    }
    return raw.strip();
  }

  /** A whole number from {@code min} to {@code max}, {@code fallback} when absent. */
  static int integer(Context ctx, String name, int min, int max, int fallback, String example) {
    String raw = ctx.queryParam(name);
    if (raw == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException _) {
      // reported below with the raw value
    }
    throw ApiError.badRequest(
        "'"
            + name
            + "' must be a whole number from "
            + min
            + " to "
            + max
            + ", got \""
            + abbreviate(raw)
            + "\"; e.g. "
            + example);
  }

  /** One of {@code allowed} (case-insensitive), lower-cased. */
  static Optional<String> choice(Context ctx, String name, Set<String> allowed, String example) {
    return optional(ctx, name, 64, example)
        .map(v -> v.toLowerCase(java.util.Locale.ROOT))
        .map(
            v -> {
              if (!allowed.contains(v)) {
                throw ApiError.badRequest(
                    "'"
                        + name
                        + "' is \""
                        + abbreviate(v)
                        + "\"; expected one of "
                        + String.join(", ", new TreeSet<>(allowed))
                        + ", e.g. "
                        + example);
              }
              return v;
            });
  }

  /** Echoed values are cut, so an error never carries a megabyte back. */
  static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }
}
