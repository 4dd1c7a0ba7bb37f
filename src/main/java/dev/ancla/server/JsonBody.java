package dev.ancla.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.query.Filter;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JSON request body read strictly, the way {@link Params} reads query parameters: not JSON, not
 * an object, an unknown field, a value of the wrong type, blank or out of range is a 400 that names
 * the field, echoes (a short form of) the value, says what is accepted and gives an example. Absent
 * and {@code null} fields are the same: not given.
 */
final class JsonBody {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode node;
  private final String example;

  private JsonBody(JsonNode node, String example) {
    this.node = node;
    this.example = example;
  }

  /**
   * Parses {@code body}, a JSON object with no fields other than {@code fields}.
   *
   * @param endpoint named in the message about an unknown field, e.g. "/api/ask"
   * @param example a whole valid body, quoted in every message
   */
  static JsonBody parse(byte[] body, String endpoint, Set<String> fields, String example) {
    JsonNode node;
    try {
      node = body == null ? null : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest(
          "the body is not valid JSON (" + e.getOriginalMessage() + "); send e.g. " + example);
    } catch (IOException e) {
      throw ApiError.badRequest("the body could not be read (" + e.getMessage() + ")");
    }
    if (node == null || node.isMissingNode()) { // nothing, or only white space
      throw ApiError.badRequest("the body is empty; send a JSON object, e.g. " + example);
    }
    if (!node.isObject()) {
      throw ApiError.badRequest("the body must be a JSON object, e.g. " + example);
    }
    for (var names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw ApiError.badRequest(
            "unknown field '"
                + Params.abbreviate(name)
                + "'; "
                + endpoint
                + " accepts "
                + String.join(", ", new TreeSet<>(fields))
                + ", e.g. "
                + example);
      }
    }
    return new JsonBody(node, example);
  }

  /** Whether the field is given (present and not {@code null}). */
  boolean has(String name) {
    JsonNode value = node.get(name);
    return value != null && !value.isNull();
  }

  /** The raw value of a given field; see {@link #has}. */
  JsonNode get(String name) {
    return node.get(name);
  }

  String example() {
    return example;
  }

  /** Not given is empty; given must be a non-blank string of at most {@code max} characters. */
  Optional<String> text(String name, int max) {
    if (!has(name)) {
      return Optional.empty();
    }
    JsonNode value = node.get(name);
    if (!value.isTextual()) {
      throw ApiError.badRequest(
          "'"
              + name
              + "' must be a string, got "
              + Params.abbreviate(value.toString())
              + "; e.g. "
              + example);
    }
    return Optional.of(Params.text(name, value.asText(), max, example));
  }

  /** A whole number from {@code min} to {@code max}; {@code fallback} when not given. */
  int integer(String name, int min, int max, int fallback) {
    if (!has(name)) {
      return fallback;
    }
    JsonNode value = node.get(name);
    if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
      throw ApiError.badRequest(
          "'"
              + name
              + "' must be a whole number from "
              + min
              + " to "
              + max
              + ", got "
              + Params.abbreviate(value.toString())
              + "; e.g. "
              + example);
    }
    return value.asInt();
  }

  /**
   * The {@code source}, {@code path} (a prefix) and {@code type} (a file extension, a leading dot
   * allowed) fields that restrict which files answer.
   */
  Filter filter() {
    Optional<String> type = text("type", 16);
    type.ifPresent(
        t -> {
          if (!t.replaceFirst("^\\.", "").matches("[A-Za-z0-9]{1,15}")) {
            throw ApiError.badRequest(
                "'type' is \""
                    + Params.abbreviate(t)
                    + "\"; expected a file extension of letters and"
                    + " digits, e.g. \"pdf\"");
          }
        });
    return new Filter(text("source", 200), text("path", 1_000), type);
  }
}
