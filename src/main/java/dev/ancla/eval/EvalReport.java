package dev.ancla.eval;

import dev.ancla.query.Mode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link Evaluator} measured.
 *
 * @param queries how many queries were scored
 * @param k the cut-off of MRR, nDCG, recall and hit
 * @param deep the cut-off of the deeper recall
 * @param variants per mode, in the order they ran
 */
public record EvalReport(int queries, int k, int deep, Map<Mode, EvalReport.Variant> variants) {

  /**
   * One mode's results.
   *
   * @param overall means over all queries
   * @param p50Millis median search latency, model and index included
   * @param p95Millis 95th percentile latency
   * @param slices means per "lang", "format" (of the relevant documents) and "app", for the
   *     attributes the queries carry
   */
  public record Variant(
      Metrics.Summary overall,
      double p50Millis,
      double p95Millis,
      Map<String, Map<String, Metrics.Summary>> slices) {}

  /**
   * The report as JSON-ready maps: {"queries", "k", "variants": {"bm25": {"mrr@10", "ndcg@10",
   * "recall@10", "recall@50", "hit@1", "hit@10", "p50Ms", "p95Ms", "byLang", "byFormat", "byApp"},
   * ...}}.
   */
  public Map<String, Object> toMap() {
    var root = new LinkedHashMap<String, Object>();
    root.put("queries", queries);
    root.put("k", k);
    var all = new LinkedHashMap<String, Object>();
    variants.forEach(
        (mode, v) -> {
          Map<String, Object> m = metrics(v.overall());
          m.put("p50Ms", round(v.p50Millis()));
          m.put("p95Ms", round(v.p95Millis()));
          v.slices()
              .forEach(
                  (name, slice) -> {
                    var values = new LinkedHashMap<String, Object>();
                    slice.forEach((value, summary) -> values.put(value, metrics(summary)));
                    m.put("by" + Character.toUpperCase(name.charAt(0)) + name.substring(1), values);
                  });
          all.put(mode.label(), m);
        });
    root.put("variants", all);
    return root;
  }

  private Map<String, Object> metrics(Metrics.Summary s) {
    var m = new LinkedHashMap<String, Object>();
    m.put("queries", s.queries());
    m.put("mrr@" + k, round(s.mrr()));
    m.put("ndcg@" + k, round(s.ndcg()));
    m.put("recall@" + k, round(s.recall()));
    m.put("recall@" + deep, round(s.deepRecall()));
    m.put("hit@1", round(s.hitAt1()));
    m.put("hit@" + k, round(s.hit()));
    return m;
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }

  /** A plain-text table: overall figures per mode, then MRR and nDCG per slice. */
  public String describe() {
    var out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%d queries, cut-off %d%n", queries, k));
    String header =
        String.format(
            Locale.ROOT,
            "%-8s %8s %8s %9s %9s %6s %6s %8s %8s%n",
            "mode",
            "mrr@" + k,
            "ndcg@" + k,
            "recall@" + k,
            "recall@" + deep,
            "hit@1",
            "hit@" + k,
            "p50 ms",
            "p95 ms");
    out.append(header);
    variants.forEach(
        (mode, v) -> {
          var s = v.overall();
          out.append(
              String.format(
                  Locale.ROOT,
                  "%-8s %8.4f %8.4f %9.4f %9.4f %6.3f %6.3f %8.1f %8.1f%n",
                  mode.label(),
                  s.mrr(),
                  s.ndcg(),
                  s.recall(),
                  s.deepRecall(),
                  s.hitAt1(),
                  s.hit(),
                  v.p50Millis(),
                  v.p95Millis()));
        });
    var first = variants.values().iterator().next();
    for (String name : first.slices().keySet()) {
      out.append(String.format(Locale.ROOT, "%nby %s: mrr@%d / ndcg@%d%n", name, k, k));
      out.append(String.format(Locale.ROOT, "%-12s %7s", name, "queries"));
      variants.keySet().forEach(m -> out.append(String.format(Locale.ROOT, " %17s", m.label())));
      out.append('\n');
      for (var entry : first.slices().get(name).entrySet()) {
        out.append(
            String.format(Locale.ROOT, "%-12s %7d", entry.getKey(), entry.getValue().queries()));
        for (Variant v : variants.values()) {
          var s = v.slices().get(name).get(entry.getKey());
          out.append(String.format(Locale.ROOT, "   %.4f / %.4f", s.mrr(), s.ndcg()));
        }
        out.append('\n');
      }
    }
    return out.toString();
  }
}
