package dev.ancla.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.embed.ModelInfo;
import dev.ancla.embed.OnnxEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.DoubleStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Ancla's HTTP API against Chroma's on the same vectors: spawn → ready and spawn → first result of
 * {@code ./ancla serve} and of {@code chroma run}, then the baseline's query phase over HTTP on
 * loopback (warm-up, then 1000 sequential kNN queries with k=10 and the texts), both driven by the
 * same Java client ({@link LoopbackClient}). Each round starts each server once, alternating which
 * goes first, so both see the same machine noise; the summary gives medians over rounds and the
 * ratios of Ancla's medians to Chroma's. An optional last row runs Ancla with text queries (hybrid,
 * embedding included).
 */
@Command(
    name = "http",
    mixinStandardHelpOptions = true,
    description =
        "HTTP search latency and spawn → ready / first result of `ancla serve`, interleaved with"
            + " Chroma's server on the same vectors.")
final class HttpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin LauncherOptions child;

  @Option(
      names = "--data",
      required = true,
      description = "Data directory built by `bench synthetic` (copied; never written).")
  Path data;

  @Option(
      names = "--groundtruth",
      required = true,
      description =
          "e.g. /work/shared/baselines/chroma/groundtruth/groundtruth-n13457-seed42-q1000-k10.json")
  Path groundTruth;

  @Option(
      names = "--chroma",
      description =
          "CHROMA_BASELINE_DIR of an installed baseline (run.sh N done); none: Ancla only.")
  Optional<Path> chroma;

  @Option(
      names = "--rounds",
      defaultValue = "5",
      description = "Starts of each server with queries.")
  int rounds;

  @Option(
      names = "--spawn-runs",
      defaultValue = "0",
      description = "Further starts of each server, to the first result only.")
  int spawnRuns;

  @Option(names = "--queries", defaultValue = "1000")
  int queries;

  @Option(names = "--warmup", defaultValue = "20")
  int warmup;

  @Option(
      names = "--passes",
      defaultValue = "2",
      description = {
        "Timed passes over the queries per server start. Pass 1 is the baseline's protocol (a new",
        "server, --warmup queries first); pass 2 on shows the same server warmed up."
      })
  int passes;

  @Option(names = "--k", defaultValue = "10")
  int k;

  @Option(
      names = "--text-rounds",
      defaultValue = "1",
      description =
          "Starts of Ancla queried by text (hybrid, the model embeds each query); 0: none.")
  int textRounds;

  @Option(
      names = "--work",
      description = "Where the index copies and server logs go (default: a new temporary folder).")
  Optional<Path> work;

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    JsonNode truth = BenchJson.MAPPER.readTree(groundTruth.toFile());
    int n = truth.path("n").asInt();
    if (truth.path("topk").size() < queries || n == 0) {
      throw new IOException(
          groundTruth + " has no \"n\" or no \"topk\" for " + queries + " queries");
    }
    var corpus = new SyntheticCorpus(truth.path("seed").asInt(SyntheticCorpus.DEFAULT_SEED));
    Path dir = work.isPresent() ? work.get() : Files.createTempDirectory("ancla-bench-http");
    Files.createDirectories(dir.resolve("logs"));
    Path sources = Files.createDirectories(dir.resolve("empty-sources"));
    Path vectorData = copyIndex(data, dir.resolve("ancla-data"));
    // Serve compares the index's model with the configured one and re-embeds every chunk when they
    // differ; the copy is stamped with the bundled model, so the server finds its own model and
    // only queries touch the index. Vectors stay the baseline's; text queries are embedded by it.
    ModelInfo model;
    try (var bundled = OnnxEmbedder.bundled()) {
      model = bundled.info();
    }
    SyntheticIndex.stampModel(vectorData.resolve("index"), model);
    String loadStart = loadAverage();

    var client = new LoopbackClient();
    var ancla =
        new AnclaHttpTarget(
            child.launcher,
            vectorData,
            sources,
            dir.resolve("logs/ancla.log"),
            child.environment(),
            AnclaHttpTarget.Queries.VECTOR,
            corpus,
            k);
    var targets = new ArrayList<HttpTarget>(List.of(ancla));
    if (chroma.isPresent()) {
      targets.add(new ChromaHttpTarget(chroma.get(), n, dir.resolve("logs/chroma.log"), corpus, k));
    }
    var results = new LinkedHashMap<String, List<HttpRound.Result>>();
    var full = new HttpRound(client, warmup, queries, passes, Optional.of(truth), k);
    var spawnOnly = new HttpRound(client, 0, 0, 0, Optional.empty(), k);
    for (HttpTarget target : targets) { // untimed: launcher checks, page cache, a stale port
      err.println("warm-up " + describe(spawnOnly.run(target)));
    }
    for (int round = 0; round < rounds + spawnRuns; round++) {
      HttpRound runner = round < rounds ? full : spawnOnly;
      // alternate who goes first: neither always runs right after the other's exit
      for (int t = 0; t < targets.size(); t++) {
        HttpTarget target = targets.get((t + round) % targets.size());
        HttpRound.Result result = runner.run(target);
        results.computeIfAbsent(target.name(), x -> new ArrayList<>()).add(result);
        err.println("round " + round + " " + describe(result));
        err.flush();
      }
    }
    if (textRounds > 0) {
      var text =
          new AnclaHttpTarget(
              child.launcher,
              vectorData,
              sources,
              dir.resolve("logs/ancla-text.log"),
              child.environment(),
              AnclaHttpTarget.Queries.TEXT,
              corpus,
              k);
      var textRunner = new HttpRound(client, warmup, queries, passes, Optional.empty(), k);
      for (int round = 0; round < textRounds; round++) {
        HttpRound.Result result = textRunner.run(text);
        results.computeIfAbsent(text.name(), x -> new ArrayList<>()).add(result);
        err.println("text round " + round + " " + describe(result));
        err.flush();
      }
    }

    var summary = new LinkedHashMap<String, Object>();
    summary.put("n_docs", n);
    summary.put("rounds", rounds);
    summary.put("spawn_runs", spawnRuns);
    summary.put("queries", queries);
    summary.put("warmup", warmup);
    summary.put("passes", passes);
    summary.put("k", k);
    summary.put("launcher", child.launcher);
    summary.put("env", child.env);
    summary.put("load_average_start", loadStart);
    summary.put("load_average_end", loadAverage());
    results.forEach((name, list) -> summary.put(name, summarize(list)));
    if (results.containsKey("chroma")) {
      summary.put("ratios_ancla_to_chroma", ratios(results.get("ancla"), results.get("chroma")));
    }
    spec.commandLine().getOut().println(BenchJson.write(summary));
    return 0;
  }

  /** Copies {@code from}/index into {@code to}/index (no lock files), so the original is safe. */
  private static Path copyIndex(Path from, Path to) throws IOException {
    Path source = from.resolve("index");
    Path target = to.resolve("index");
    if (!Files.isDirectory(source)) {
      throw new IOException(source + " is missing; build it with `ancla bench synthetic`");
    }
    if (Files.exists(to)) {
      SyntheticIndex.deleteTree(to);
    }
    Files.createDirectories(target);
    try (var files = Files.list(source)) {
      for (Path file : files.toList()) {
        if (Files.isRegularFile(file) && !file.getFileName().toString().equals("write.lock")) {
          Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return to;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String describe(HttpRound.Result r) {
    String line =
        String.format(
            Locale.ROOT,
            "%s: ready %.1f ms, first result %.1f ms (cpu %.0f ms)",
            r.target(),
            r.readyMs(),
            r.firstResultMs(),
            r.cpuToFirstResultMs());
    for (int i = 0; i < r.passes().size(); i++) {
      HttpRound.Latency l = r.passes().get(i);
      line +=
          String.format(
              Locale.ROOT,
              "; pass %d: p50 %.3f p90 %.3f p99 %.3f mean %.3f ms, recall %.4f, server cpu %.3f"
                  + " ms/query",
              i + 1,
              l.percentile(50),
              l.percentile(90),
              l.percentile(99),
              l.mean(),
              l.recall(),
              l.serverCpuMsPerQuery());
    }
    return line;
  }

  private static Map<String, Object> summarize(List<HttpRound.Result> results) {
    var m = new LinkedHashMap<String, Object>();
    m.put("ready_ms", ColdStartCommand.stats(field(results, HttpRound.Result::readyMs)));
    m.put(
        "first_result_ms", ColdStartCommand.stats(field(results, HttpRound.Result::firstResultMs)));
    m.put(
        "cpu_to_first_result_ms",
        ColdStartCommand.stats(field(results, HttpRound.Result::cpuToFirstResultMs)));
    int passes = results.stream().mapToInt(r -> r.passes().size()).max().orElse(0);
    for (int pass = 0; pass < passes; pass++) {
      m.put("pass" + (pass + 1), passStats(pass(results, pass)));
    }
    return m;
  }

  private static Map<String, Object> ratios(
      List<HttpRound.Result> ancla, List<HttpRound.Result> chroma) {
    var m = new LinkedHashMap<String, Object>();
    m.put("ready", ratio(ancla, chroma, HttpRound.Result::readyMs));
    m.put("first_result", ratio(ancla, chroma, HttpRound.Result::firstResultMs));
    m.put("cpu_to_first_result", ratio(ancla, chroma, HttpRound.Result::cpuToFirstResultMs));
    int passes = ancla.stream().mapToInt(r -> r.passes().size()).max().orElse(0);
    for (int pass = 0; pass < passes; pass++) {
      List<HttpRound.Latency> a = pass(ancla, pass);
      List<HttpRound.Latency> b = pass(chroma, pass);
      var p = new LinkedHashMap<String, Object>();
      p.put("p50", latencyRatio(a, b, l -> l.percentile(50)));
      p.put("p90", latencyRatio(a, b, l -> l.percentile(90)));
      p.put("p99", latencyRatio(a, b, l -> l.percentile(99)));
      p.put("server_cpu_per_query", latencyRatio(a, b, HttpRound.Latency::serverCpuMsPerQuery));
      m.put("pass" + (pass + 1), p);
    }
    return m;
  }

  private static double ratio(
      List<HttpRound.Result> a,
      List<HttpRound.Result> b,
      java.util.function.ToDoubleFunction<HttpRound.Result> f) {
    return round4(ColdStartCommand.median(field(a, f)) / ColdStartCommand.median(field(b, f)));
  }

  private static double latencyRatio(
      List<HttpRound.Latency> a,
      List<HttpRound.Latency> b,
      java.util.function.ToDoubleFunction<HttpRound.Latency> f) {
    return round4(medianOf(a, f) / medianOf(b, f));
  }

  private static double medianOf(
      List<HttpRound.Latency> latencies, java.util.function.ToDoubleFunction<HttpRound.Latency> f) {
    return ColdStartCommand.median(latencies.stream().map(f::applyAsDouble).toList());
  }

  /** Pass {@code pass} of every start that ran it. */
  private static List<HttpRound.Latency> pass(List<HttpRound.Result> results, int pass) {
    return results.stream()
        .filter(r -> r.passes().size() > pass)
        .map(r -> r.passes().get(pass))
        .toList();
  }

  private static Map<String, Object> passStats(List<HttpRound.Latency> latencies) {
    var m = new LinkedHashMap<String, Object>();
    m.put("p50_ms", latencyStats(latencies, l -> l.percentile(50)));
    m.put("p90_ms", latencyStats(latencies, l -> l.percentile(90)));
    m.put("p99_ms", latencyStats(latencies, l -> l.percentile(99)));
    m.put("mean_ms", latencyStats(latencies, HttpRound.Latency::mean));
    m.put(
        "server_cpu_ms_per_query", latencyStats(latencies, HttpRound.Latency::serverCpuMsPerQuery));
    double[] pooled =
        latencies.stream().flatMapToDouble(l -> DoubleStream.of(l.millis())).sorted().toArray();
    m.put(
        "pooled",
        Map.of(
            "queries", pooled.length,
            "p50_ms", round3(QueriesCommand.percentile(pooled, 50)),
            "p90_ms", round3(QueriesCommand.percentile(pooled, 90)),
            "p99_ms", round3(QueriesCommand.percentile(pooled, 99))));
    if (!Double.isNaN(latencies.getFirst().recall())) {
      m.put("recall_at_k", latencies.stream().map(l -> round4(l.recall())).toList());
    }
    return m;
  }

  private static Map<String, Object> latencyStats(
      List<HttpRound.Latency> latencies, java.util.function.ToDoubleFunction<HttpRound.Latency> f) {
    var values = latencies.stream().map(f::applyAsDouble).toList();
    var m = new LinkedHashMap<String, Object>();
    m.put("median", round3(ColdStartCommand.median(values)));
    m.put("all", values.stream().map(HttpCommand::round3).toList());
    return m;
  }

  private static List<Double> field(
      List<HttpRound.Result> results, java.util.function.ToDoubleFunction<HttpRound.Result> f) {
    return results.stream().map(f::applyAsDouble).toList();
  }

  private static double round3(double v) {
    return ColdStartCommand.round(v, 3);
  }

  private static double round4(double v) {
    return ColdStartCommand.round(v, 4);
  }
}
