package dev.ancla.index.solr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.config.Config;
import dev.ancla.index.IndexSchema;
import dev.ancla.query.RetrievalSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;

/**
 * Ancla's collection on SolrCloud: created at start with Ancla's configset when it is missing,
 * checked when it is there. The configset (src/main/resources/solr) has the local index's fields
 * and analysis, filled in with the model's dimension and the stemmer of the configured language.
 */
public final class SolrCollection {
  private SolrCollection() {}

  /**
   * What the collection must match: the model's vector dimension, the language (its stemmer) and
   * BM25's parameters, which Solr fixes in the schema.
   */
  public record Spec(int dimension, Config.Language language, float bm25K1, float bm25B) {
    /** With the BM25 parameters of {@link RetrievalSettings#DEFAULTS}. */
    public Spec(int dimension, Config.Language language) {
      this(
          dimension,
          language,
          RetrievalSettings.DEFAULTS.bm25K1(),
          RetrievalSettings.DEFAULTS.bm25B());
    }

    String configName() {
      return "ancla-"
          + IndexSchema.VERSION
          + "-"
          + language.name().toLowerCase(Locale.ROOT)
          + "-"
          + dimension
          + "-bm25-"
          + bm25K1
          + "-"
          + bm25B;
    }
  }

  /**
   * Creates the collection if there is none, else checks that its schema version and vector
   * dimension are Ancla's; a mismatch is an IOException that says what differs and what to do.
   */
  static void ensure(SolrHttp http, SolrUrl url, Spec spec) throws IOException {
    String name = url.collection();
    JsonNode status = http.get("/admin/collections?action=LIST&wt=json");
    boolean exists = false;
    for (JsonNode c : status.path("collections")) {
      exists |= c.asText().equals(name);
    }
    if (!exists) {
      create(http, url, spec);
    }
    check(http, name, spec);
  }

  private static void create(SolrHttp http, SolrUrl url, Spec spec) throws IOException {
    String config = spec.configName();
    JsonNode configs = http.get("/admin/configs?action=LIST&wt=json");
    boolean uploaded = false;
    for (JsonNode c : configs.path("configSets")) {
      uploaded |= c.asText().equals(config);
    }
    if (!uploaded) {
      http.postBytes("/admin/configs?action=UPLOAD&wt=json&name=" + enc(config), zip(spec));
    }
    http.get(
        "/admin/collections?action=CREATE&wt=json&name="
            + enc(url.collection())
            + "&numShards="
            + url.shards()
            + "&replicationFactor="
            + url.replicas()
            + "&collection.configName="
            + enc(config)
            + "&waitForFinalState=true");
  }

  private static void check(SolrHttp http, String name, Spec spec) throws IOException {
    String schema = http.get("/" + enc(name) + "/schema/name?wt=json").path("name").asText();
    String expected = "ancla-" + IndexSchema.VERSION;
    if (!schema.equals(expected)) {
      throw new IOException(
          "the Solr collection \""
              + name
              + "\" has the schema \""
              + schema
              + "\", not Ancla's \""
              + expected
              + "\": it was made by another program or another Ancla version. Point ANCLA_INDEX_URL"
              + " at a new collection name (Ancla creates it) or delete this one");
    }
    JsonNode similarity =
        http.get("/" + enc(name) + "/schema/similarity?wt=json").path("similarity");
    float k1 = (float) similarity.path("k1").asDouble(Double.NaN);
    float b = (float) similarity.path("b").asDouble(Double.NaN);
    if (k1 != spec.bm25K1() || b != spec.bm25B()) {
      throw new IOException(
          "the Solr collection \""
              + name
              + "\" ranks with BM25 k1="
              + k1
              + ", b="
              + b
              + ", and Ancla is configured for k1="
              + spec.bm25K1()
              + ", b="
              + spec.bm25B()
              + ". Solr fixes them in the schema: configure those values, or point ANCLA_INDEX_URL"
              + " at a new collection name");
    }
    int dimension =
        http.get("/" + enc(name) + "/schema/fieldtypes/knn_vector?wt=json")
            .path("fieldType")
            .path("vectorDimension")
            .asInt();
    if (dimension != spec.dimension()) {
      throw new IOException(
          "the Solr collection \""
              + name
              + "\" holds "
              + dimension
              + "-dimensional vectors, and the embedding model makes "
              + spec.dimension()
              + ". Use the model the collection was built with, or point ANCLA_INDEX_URL at a new"
              + " collection name and sync again");
    }
  }

  /** The configset as a zip, with the placeholders filled in. */
  static byte[] zip(Spec spec) throws IOException {
    String schema =
        resource("schema.xml")
            .replace("@SCHEMA@", String.valueOf(IndexSchema.VERSION))
            .replace("@DIMENSION@", String.valueOf(spec.dimension()))
            .replace("@NGRAM@", "3")
            .replace("@K1@", Float.toString(spec.bm25K1()))
            .replace("@B@", Float.toString(spec.bm25B()))
            .replace(
                "@POSSESSIVE@",
                spec.language() == Config.Language.EN
                    ? "      <filter class=\"solr.EnglishPossessiveFilterFactory\"/>"
                    : "")
            .replace(
                "@STEMMER@",
                spec.language() == Config.Language.EN
                    ? "solr.PorterStemFilterFactory"
                    : "solr.SpanishLightStemFilterFactory");
    var bytes = new ByteArrayOutputStream();
    try (var zip = new ZipOutputStream(bytes)) {
      put(zip, "schema.xml", schema);
      put(zip, "solrconfig.xml", resource("solrconfig.xml"));
      put(zip, "stopwords.txt", String.join("\n", stopWords()) + "\n");
    }
    return bytes.toByteArray();
  }

  /** Both languages' stop words, as the local analyzers remove them (Analyzers). */
  private static List<String> stopWords() {
    var words = new ArrayList<String>();
    for (CharArraySet set :
        List.of(SpanishAnalyzer.getDefaultStopSet(), EnglishAnalyzer.getDefaultStopSet())) {
      for (Object w : set) {
        words.add(new String((char[]) w));
      }
    }
    return words.stream().distinct().sorted().toList();
  }

  private static void put(ZipOutputStream zip, String name, String text) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(text.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = SolrCollection.class.getResourceAsStream("/solr/" + name)) {
      if (in == null) {
        throw new IOException("the jar lacks solr/" + name + "; rebuild Ancla");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
