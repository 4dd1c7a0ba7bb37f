package dev.ancla.index.solr;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.config.Config;
import dev.ancla.index.Analyzers;
import dev.ancla.index.IndexSchema;
import dev.ancla.testing.SolrTestCluster;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The configset analyzes text as {@link Analyzers} does: sample texts go through Solr's field
 * analysis API on a collection made from the configset, and the tokens it would index must be the
 * tokens Ancla's own analyzer gives, in order, for each analyzed field and each language. A change
 * to Analyzers not copied into schema.xml fails here (SolrChunkSearch sends Ancla's own query
 * terms, so a difference would silently stop documents from matching).
 */
class SolrAnalysisTest {
  static final List<String> SAMPLES =
      List.of(
          // accents, ñ, ü, plurals, stop words of both languages, mixed case, punctuation
          "Las SECCIONES del Índice: ¿cómo configurar las búsquedas rápidas de los Pingüinos?",
          "Los niños cantan canciones bajo árboles; el año pasado, la Señora Muñoz lo dijo.",
          // English: possessives, -ing, -ies, stop words, an accented loan word
          "The user's databases were QUICKLY indexed, and Bob's queries are running on the café.",
          // mixed languages, numbers, identifiers, short words (shorter than a 3-gram)
          "El README explica how to install v2.3 en Windows 11: ir a la configuración, ok.",
          "");
  static final List<String> FIELDS =
      List.of(
          IndexSchema.TEXT, IndexSchema.HEADING, IndexSchema.TEXT_NGRAM, IndexSchema.HEADING_NGRAM);

  static SolrTestCluster cluster;
  static final ObjectMapper JSON = new ObjectMapper();
  // HTTP/1.1 as SolrHttp: the default client's first GET offers an h2c upgrade, which Solr's
  // Jetty can leave unanswered
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = SolrTestCluster.shared();
  }

  /** Creates (or checks) the language's collection from the configset; returns its name. */
  private static String collection(Config.Language language) throws IOException {
    String name = "analysis_" + language.name().toLowerCase();
    SolrUrl url = SolrUrl.parse(cluster.indexUrl(name, "?shards=1&replicas=1"));
    SolrChunkIndex.open(url, new SolrCollection.Spec(4, language), Duration.ofSeconds(30));
    return name;
  }

  @ParameterizedTest
  @EnumSource(Config.Language.class)
  void theConfigsetIndexesTheTokensAnclaAnalyzes(Config.Language language) throws Exception {
    String collection = collection(language);
    Analyzer ancla = Analyzers.forLanguage(language);
    int compared = 0;
    for (String field : FIELDS) {
      for (String text : SAMPLES) {
        List<String> local = tokens(ancla, field, text);
        assertEquals(
            local,
            solrTokens(collection, field, text),
            language + " " + field + ": \"" + text + "\"");
        compared += local.size();
      }
    }
    assertTrue(compared > 200, "only " + compared + " tokens compared");
  }

  /** The comparison can fail: the two languages' collections analyze the same text differently. */
  @ParameterizedTest
  @EnumSource(Config.Language.class)
  void theOtherLanguagesAnalysisDiffers(Config.Language language) throws Exception {
    Config.Language other =
        language == Config.Language.ES ? Config.Language.EN : Config.Language.ES;
    String text = SAMPLES.get(2);
    assertNotEquals(
        tokens(Analyzers.forLanguage(other), IndexSchema.TEXT, text),
        solrTokens(collection(language), IndexSchema.TEXT, text));
  }

  private static List<String> tokens(Analyzer analyzer, String field, String text)
      throws IOException {
    var tokens = new ArrayList<String>();
    try (TokenStream stream = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        tokens.add(term.toString());
      }
      stream.end();
    }
    return tokens;
  }

  /**
   * The index-time tokens of {@code text} in {@code field}: the last stage of the chain as Solr's
   * field analysis API reports it (a list alternating stage names and their tokens).
   */
  private static List<String> solrTokens(String collection, String field, String text)
      throws Exception {
    URI uri =
        URI.create(
            cluster.nodes().getFirst()
                + "/"
                + collection
                + "/analysis/field?wt=json&analysis.fieldname="
                + field
                + "&analysis.fieldvalue="
                + URLEncoder.encode(text, StandardCharsets.UTF_8));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    JsonNode stages =
        JSON.readTree(response.body())
            .path("analysis")
            .path("field_names")
            .path(field)
            .path("index");
    var tokens = new ArrayList<String>();
    if (text.isEmpty() && stages.isMissingNode()) {
      return tokens; // Solr reports nothing for an empty value
    }
    assertTrue(stages.isArray() && stages.size() >= 2, response.body());
    for (JsonNode token : stages.get(stages.size() - 1)) {
      tokens.add(token.path("text").asText());
    }
    return tokens;
  }
}
