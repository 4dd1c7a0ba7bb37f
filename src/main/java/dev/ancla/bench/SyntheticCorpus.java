package dev.ancla.bench;

import java.nio.charset.StandardCharsets;

/**
 * The ChromaDB baseline's synthetic corpus, regenerated bit for bit: unit float32 vectors in 64
 * clusters, 150-word texts, and 1000 + 20 query vectors. A port of the baseline's {@code
 * VectorGen.java} (the spec is in {@code /work/shared/baselines/chroma/README.md}); every integer
 * operation wraps on 32 bits exactly as there, so Ancla and Chroma index identical data and the
 * baseline's exact ground truth applies to both.
 *
 * <p>Doc {@code i} belongs to source file {@code src-(i / 16)} as its chunk {@code i % 16}, as in
 * the baseline's metadata.
 */
public final class SyntheticCorpus {
  public static final int DIM = 384;
  public static final int DEFAULT_SEED = 42;

  /** Chunks per source file, from the baseline's metadata {@code chunk: i % 16}. */
  public static final int CHUNKS_PER_FILE = 16;

  static final int N_CENTERS = 64;
  static final double NOISE = 0.75;
  static final int WORDS_PER_DOC = 150;
  static final int STREAM_CENTER = 1;
  static final int STREAM_DOC = 2;
  static final int STREAM_QUERY = 3;
  static final int STREAM_TEXT = 4;

  static final String[] VOCAB = {
    "the", "of", "and", "to", "in", "is", "that", "for",
    "it", "as", "was", "with", "be", "by", "on", "not",
    "this", "are", "or", "from", "at", "which", "an", "have",
    "data", "system", "model", "vector", "search", "index", "query", "result",
    "document", "server", "client", "memory", "disk", "file", "record", "table",
    "network", "request", "response", "latency", "throughput", "cache", "thread", "process",
    "function", "method", "class", "object", "value", "type", "error", "exception",
    "user", "account", "project", "report", "meeting", "customer", "product", "market",
    "price", "contract", "invoice", "payment", "policy", "security", "access", "control",
    "research", "analysis", "approach", "sample", "measure", "signal", "energy", "water",
    "river", "mountain", "city", "country", "history", "culture", "language", "music",
    "science", "theory", "experiment", "evidence", "patient", "treatment", "health", "study",
    "time", "year", "day", "week", "people", "group", "company", "team",
    "new", "large", "small", "important", "different", "local", "general", "specific",
    "build", "test", "deploy", "update", "create", "delete", "read", "write",
    "because", "however", "therefore", "although", "between", "through", "during", "without",
  };

  private final int seed;
  private final double[] centers;

  public SyntheticCorpus(int seed) {
    this.seed = seed;
    this.centers = new double[N_CENTERS * DIM];
    for (int j = 0; j < N_CENTERS; j++) {
      var r = new XorShift32(initState(seed, STREAM_CENTER, j));
      for (int d = 0; d < DIM; d++) {
        centers[j * DIM + d] = r.unif();
      }
    }
  }

  public int seed() {
    return seed;
  }

  public static SyntheticCorpus standard() {
    return new SyntheticCorpus(DEFAULT_SEED);
  }

  /** Doc vector {@code i}, unit length. */
  public float[] docVector(int i) {
    return sample(STREAM_DOC, i);
  }

  /** Query vector {@code q}: 0..999 are measured queries, 1000..1019 the baseline's warm-up. */
  public float[] queryVector(int q) {
    return sample(STREAM_QUERY, q);
  }

  /** Doc text {@code i}: 150 vocabulary words joined by single spaces, about 1 KB. */
  public String docText(int i) {
    var r = new XorShift32(initState(seed, STREAM_TEXT, i));
    var text = new StringBuilder(WORDS_PER_DOC * 8);
    for (int w = 0; w < WORDS_PER_DOC; w++) {
      if (w > 0) {
        text.append(' ');
      }
      text.append(VOCAB[r.next() >>> 25]);
    }
    return text.toString();
  }

  /** The source file that holds doc {@code i}, e.g. "src-3.txt" for docs 48 to 63. */
  public static String fileOf(int i) {
    return "src-" + (i / CHUNKS_PER_FILE) + ".txt";
  }

  /** The doc index of chunk {@code ordinal} of file {@code path}; inverse of {@link #fileOf}. */
  public static int docIndex(String path, int ordinal) {
    if (!path.startsWith("src-") || !path.endsWith(".txt")) {
      throw new IllegalArgumentException(
          "path \"" + path + "\" is not a synthetic corpus file; expected e.g. src-3.txt");
    }
    return Integer.parseInt(path, 4, path.length() - 4, 10) * CHUNKS_PER_FILE + ordinal;
  }

  private float[] sample(int stream, int index) {
    var r = new XorShift32(initState(seed, stream, index));
    int cluster = Integer.remainderUnsigned(r.next(), N_CENTERS);
    double[] raw = new double[DIM];
    double sumsq = 0;
    for (int d = 0; d < DIM; d++) {
      double v = centers[cluster * DIM + d] + NOISE * r.unif();
      raw[d] = v;
      sumsq += v * v; // in order, no FMA: the spec fixes the rounding
    }
    double norm = Math.sqrt(sumsq);
    float[] out = new float[DIM];
    for (int d = 0; d < DIM; d++) {
      out[d] = (float) (raw[d] / norm);
    }
    return out;
  }

  /** The baseline's check values: FNV-1a over float bits, and over the texts' UTF-8 bytes. */
  public record Checks(int docVectorsHash, int queryVectorsHash, int textsHash) {
    public String describe() {
      return "doc_vectors_hash="
          + hex(docVectorsHash)
          + " query_vectors_hash="
          + hex(queryVectorsHash)
          + " texts_hash="
          + hex(textsHash);
    }
  }

  /** Computes the README's check values for the first {@code n} docs and 1000 queries. */
  public Checks checks(int n) {
    int docs = FNV_OFFSET;
    int texts = FNV_OFFSET;
    for (int i = 0; i < n; i++) {
      docs = hashFloats(docs, docVector(i));
      for (byte b : (docText(i) + "\n").getBytes(StandardCharsets.UTF_8)) {
        texts = (texts ^ (b & 0xff)) * FNV_PRIME;
      }
    }
    int queries = FNV_OFFSET;
    for (int q = 0; q < 1000; q++) {
      queries = hashFloats(queries, queryVector(q));
    }
    return new Checks(docs, queries, texts);
  }

  public static String hex(int x) {
    return String.format("0x%08x", x);
  }

  private static final int FNV_OFFSET = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  private static int hashFloats(int h, float[] v) {
    for (float f : v) {
      h = (h ^ Float.floatToRawIntBits(f)) * FNV_PRIME;
    }
    return h;
  }

  static int fmix32(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  static int initState(int seed, int stream, int index) {
    int s = fmix32(seed + 0x9e3779b9 * stream);
    s = fmix32(s ^ index);
    return s == 0 ? 0x6d2b79f5 : s;
  }

  /** Marsaglia's xorshift32 (13/17/5). */
  private static final class XorShift32 {
    private int x;

    XorShift32(int state) {
      x = state;
    }

    int next() {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x;
    }

    /** Uniform in [-1, 1), exactly a float32 value. */
    double unif() {
      return ((next() >>> 8) - 8388608) / 8388608.0;
    }
  }
}
