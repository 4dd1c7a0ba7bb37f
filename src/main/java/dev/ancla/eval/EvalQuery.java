package dev.ancla.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One judged query: {"id", "query", "relevant": [paths], "lang"?, "app"?}, paths relative to the
 * source root.
 */
public record EvalQuery(
    String id, String query, List<String> relevant, Optional<String> lang, Optional<String> app) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The format of the relevant documents as their extension, e.g. "html"; "mixed" when they differ
   * and "none" when they have none.
   */
  public String format() {
    var formats = relevant.stream().map(EvalQuery::extension).distinct().toList();
    return formats.size() == 1 ? formats.getFirst() : "mixed";
  }

  static String extension(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? "none" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a JSONL file, one query per non-blank line. A malformed line fails the whole read with
   * its line number, since a silently skipped query would change every mean.
   */
  public static List<EvalQuery> read(Path file) throws IOException {
    var queries = new ArrayList<EvalQuery>();
    var lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        queries.add(parse(JSON.readTree(line)));
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            file
                + " line "
                + (i + 1)
                + ": "
                + e.getMessage()
                + "; expected e.g. {\"id\": \"q1\", \"query\": \"tablas dinámicas\","
                + " \"relevant\": [\"calc/tablas.html\"]}",
            e);
      }
    }
    if (queries.isEmpty()) {
      throw new IllegalArgumentException(
          file + " holds no queries; expected one JSON object a line");
    }
    return queries;
  }

  private static EvalQuery parse(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String query =
        text(node, "query").orElseThrow(() -> new IllegalArgumentException("no \"query\""));
    String id = text(node, "id").orElse(query);
    JsonNode relevant = node.get("relevant");
    if (relevant == null || !relevant.isArray() || relevant.isEmpty()) {
      throw new IllegalArgumentException("\"relevant\" must be a non-empty array of paths");
    }
    var paths = new ArrayList<String>();
    relevant.forEach(p -> paths.add(p.asText()));
    return new EvalQuery(id, query, List.copyOf(paths), text(node, "lang"), text(node, "app"));
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.asText().isBlank()
        ? Optional.empty()
        : Optional.of(value.asText());
  }
}
