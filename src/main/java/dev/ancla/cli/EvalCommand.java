package dev.ancla.cli;

import dev.ancla.Ancla;
import dev.ancla.config.VectorWeights;
import dev.ancla.eval.EvalQuery;
import dev.ancla.eval.EvalReport;
import dev.ancla.eval.Evaluator;
import dev.ancla.query.Fusion;
import dev.ancla.query.FusionGrid;
import dev.ancla.query.HybridRetriever;
import dev.ancla.query.Mode;
import dev.ancla.query.RetrievalSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Measure retrieval quality on judged queries: MRR, nDCG, recall and hit rate for BM25 alone,"
          + " vectors alone and hybrid, overall and per language, format and app, with latency.",
      "FILE holds one JSON object a line: {\"id\", \"query\", \"relevant\": [paths relative to the"
          + " source], \"lang\"?, \"app\"?}. Documents are ranked by their best chunk."
    })
final class EvalCommand implements Callable<Integer> {
  @ParentCommand AnclaCommand parent;

  @Option(
      names = "--queries",
      required = true,
      paramLabel = "FILE",
      description = "The judged queries (JSONL).")
  Path queries;

  @Option(
      names = {"-k", "--k"},
      defaultValue = "10",
      description = "Cut-off of MRR, nDCG, recall and hit (1-50, default ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--limit", description = "Score only the first N queries.")
  Integer limit;

  @Option(
      names = "--modes",
      split = ",",
      defaultValue = "bm25,ngram,vector,hybrid",
      description = "Which to run (default ${DEFAULT-VALUE}).")
  List<String> modes;

  @Option(
      names = "--warmup",
      defaultValue = "20",
      description = "Queries run untimed first in each mode (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--rrf-k", description = "RRF's damping constant (default 5).")
  Integer rrfK;

  @Option(
      names = "--depth",
      description = "Candidates per retriever, at least (default 50; 5 per result counted).")
  Integer depth;

  @Option(
      names = "--heading-boost",
      description = "Weight of heading matches against text (default 0.3).")
  Float headingBoost;

  @Option(
      names = "--phrase",
      split = ",",
      paramLabel = "BOOST,SLOP",
      description =
          "Bonus for the query's words near each other in a chunk: weight and slop (default 0,8).")
  List<Float> phrase;

  @Option(names = "--fusion", description = "rrf or score (min-max normalized), default score.")
  String fusion;

  @Option(
      names = "--vector-weight",
      description =
          "Weight of the vector list in fusion, BM25's being 1: one number, or by the query's"
              + " language, e.g. es=0.1,en=0.5,other=0.3 (default: the model's, ANCLA_VECTOR_WEIGHTS).")
  String vectorWeight;

  @Option(
      names = "--ngram-weight",
      description =
          "Weight of the character n-gram list in hybrid fusion; BM25's is 1 (default 1).")
  Double ngramWeight;

  @Option(
      names = "--grid",
      paramLabel = "FILE",
      description =
          "Tuning: score the fusion settings in FILE, one a line: name method rrfK"
              + " wordsWeight ngramWeight vectorWeight; prints name, queries, MRR, nDCG, recall,"
              + " deep recall.")
  Path grid;

  @Option(
      names = "--per-query",
      paramLabel = "FILE",
      description = "With --grid: write name, id, reciprocal rank, nDCG per query.")
  Path perQuery;

  @Option(
      names = "--near-duplicate",
      description =
          "Drop a hit whose words overlap a better hit's this much (Jaccard; 0 = off; default 0.9).")
  Double nearDuplicate;

  @Option(
      names = "--bm25",
      split = ",",
      paramLabel = "K1,B",
      description = "BM25's k1 and b (default 1.2,0.3).")
  List<Float> bm25;

  @Option(names = "--json", description = "Print the report as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CliContext context = parent.context();
    var line = parent.spec.commandLine();
    if (k < 1 || k > 50) {
      throw new ParameterException(line, "--k is " + k + "; expected 1 to 50, e.g. --k 10");
    }
    if (limit != null && limit < 1) {
      throw new ParameterException(
          line, "--limit is " + limit + "; expected 1 or more, e.g. --limit 200");
    }
    if (!Files.isRegularFile(queries)) {
      throw new ParameterException(
          line,
          "--queries "
              + queries
              + " is not a file; give a JSONL file, e.g. eval-data/public/queries.jsonl");
    }
    List<Mode> chosen;
    RetrievalSettings settings;
    List<EvalQuery> judged;
    try {
      chosen = modes.stream().map(Mode::parse).distinct().toList();
      settings = settings(context.config());
      judged = EvalQuery.read(queries);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(line, e.getMessage());
    }
    if (limit != null && limit < judged.size()) {
      judged = judged.subList(0, limit);
    }
    var config = context.config();
    try (Ancla ancla = Ancla.openReadOnly(config, context.parts().apply(config))) {
      HybridRetriever retriever = ancla.retriever(settings);
      if (grid != null) {
        var configs =
            Files.readAllLines(grid).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(FusionGrid.Config::parse)
                .toList();
        try (var rows =
            perQuery == null ? null : new java.io.PrintWriter(Files.newBufferedWriter(perQuery))) {
          FusionGrid.run(retriever, settings, judged, configs, k, context.out(), rows);
        }
        context.out().flush();
        return 0;
      }
      if (!retriever.hasVectors() && chosen.contains(Mode.VECTOR)) {
        context.err().println("ancla: the index's model is not available; evaluating BM25 only");
        chosen = List.of(Mode.BM25);
      }
      int total = judged.size();
      var progress = new Progress(context, total);
      EvalReport report =
          new Evaluator(Evaluator.documents(retriever), System::nanoTime)
              .run(judged, chosen, k, warmup, progress::done);
      if (json) {
        var map = new java.util.LinkedHashMap<String, Object>(report.toMap());
        map.put("settings", settings.describe());
        context.out().println(Json.write(map));
      } else {
        context.out().println("settings: " + settings.describe());
        context.out().print(report.describe());
        context.out().flush();
      }
      return 0;
    }
  }

  private RetrievalSettings settings(dev.ancla.config.Config config) {
    var s = Ancla.defaultSettings(config);
    if (rrfK != null) s = s.withRrfK(rrfK);
    if (depth != null) s = s.withMinDepth(depth);
    if (headingBoost != null) s = s.withHeadingBoost(headingBoost);
    if (fusion != null) s = s.withFusion(Fusion.Method.parse(fusion));
    if (vectorWeight != null) s = s.withVectorWeights(VectorWeights.parse(vectorWeight));
    if (ngramWeight != null) s = s.withNgramWeight(ngramWeight);
    if (nearDuplicate != null) s = s.withNearDuplicate(nearDuplicate);
    if (phrase != null) {
      if (phrase.size() != 2) {
        throw new IllegalArgumentException("--phrase takes a weight and a slop, e.g. 0.5,8");
      }
      s = s.withPhrase(phrase.get(0), Math.round(phrase.get(1)));
    }
    if (bm25 != null) {
      if (bm25.size() != 2) {
        throw new IllegalArgumentException("--bm25 takes k1 and b, e.g. --bm25 1.2,0.75");
      }
      s = s.withBm25(bm25.get(0), bm25.get(1));
    }
    return s;
  }

  /** A line on stderr every 500 queries: evaluation takes minutes. */
  private record Progress(CliContext context, int total) {
    void done(int n) {
      if (n % 500 == 0 || n == total) {
        context.err().printf("eval: %d/%d queries%n", n, total);
        context.err().flush();
      }
    }
  }
}
