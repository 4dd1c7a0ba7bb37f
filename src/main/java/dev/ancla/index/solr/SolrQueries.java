package dev.ancla.index.solr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ancla.index.IndexSchema;
import dev.ancla.query.Filter;
import java.io.IOException;
import java.util.List;

/**
 * Queries in Solr's JSON Query DSL. Terms go as {@code term} queries, never through Solr's query
 * syntax: Ancla analyzes the text itself with the same analyzer as the local index, so nothing
 * needs escaping and Solr does not analyze the terms a second time.
 */
final class SolrQueries {
  private SolrQueries() {}

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static ObjectNode term(String field, String value) {
    ObjectNode term = NODES.objectNode();
    term.putObject("term").put("f", field).put("query", value);
    return term;
  }

  static ObjectNode prefix(String field, String value) {
    ObjectNode prefix = NODES.objectNode();
    prefix.putObject("prefix").put("f", field).put("query", value);
    return prefix;
  }

  /** A query whose score is {@code query}'s times {@code boost}, as Lucene's BoostQuery. */
  static ObjectNode boost(ObjectNode query, double boost) {
    if (boost == 1) {
      return query;
    }
    ObjectNode b = NODES.objectNode();
    b.putObject("boost").put("b", Double.toString(boost)).set("query", query);
    return b;
  }

  /** Optional clauses, scored as the sum of those that match; one clause stands alone. */
  static ObjectNode should(List<ObjectNode> clauses) {
    if (clauses.size() == 1) {
      return clauses.getFirst();
    }
    ObjectNode bool = NODES.objectNode();
    ArrayNode should = bool.putObject("bool").putArray("should");
    clauses.forEach(should::add);
    return bool;
  }

  /** Chunks only, of the files that pass {@code filter}. */
  static ArrayNode chunkFilters(Filter filter) {
    ArrayNode all = NODES.arrayNode();
    all.add(term(IndexSchema.KIND, IndexSchema.KIND_CHUNK));
    filter.source().ifPresent(s -> all.add(term(IndexSchema.SOURCE, s)));
    filter.pathPrefix().ifPresent(p -> all.add(prefix(IndexSchema.PATH, p)));
    filter.extension().ifPresent(e -> all.add(term(IndexSchema.EXTENSION, e)));
    return all;
  }

  /** A JSON request: query, filters, how many rows, which fields. */
  static ObjectNode request(JsonNode query, ArrayNode filters, int limit, String fields) {
    ObjectNode request = NODES.objectNode();
    request.set("query", query);
    if (filters != null && !filters.isEmpty()) {
      request.set("filter", filters);
    }
    request.put("limit", limit);
    request.put("fields", fields);
    return request;
  }

  static String json(JsonNode node) throws IOException {
    return SolrHttp.JSON.writeValueAsString(node);
  }
}
