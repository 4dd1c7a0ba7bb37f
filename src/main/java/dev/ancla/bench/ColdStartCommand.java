package dev.ancla.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Spawns {@code LAUNCHER bench first-query} again and again and times spawn → first result line,
 * the way the Chroma baseline times spawn → first query result. With {@code --chroma}, a Chroma
 * cold start (bench/chroma-coldstart.mjs) runs after each Ancla run, so both see the same machine
 * noise. Prints each run to stderr and a JSON summary line to stdout.
 */
@Command(
    name = "coldstart",
    mixinStandardHelpOptions = true,
    description =
        "Median spawn → first kNN result of the launcher, optionally interleaved with Chroma.")
final class ColdStartCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin LauncherOptions child;

  @Option(
      names = "--data",
      required = true,
      description = "Data directory built by `bench synthetic`.")
  Path data;

  @Option(names = "--runs", defaultValue = "10")
  int runs;

  @Option(names = "--q", defaultValue = "0", description = "Query vector; Chroma's harness uses 0.")
  int q;

  @Option(
      names = "--chroma",
      description =
          "CHROMA_BASELINE_DIR of an installed baseline (run.sh done) to interleave with.")
  Optional<Path> chroma;

  @Option(names = "--chroma-n", defaultValue = "13457", description = "N of the Chroma collection.")
  int chromaN;

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    var ancla = new ArrayList<Double>();
    var anclaCpu = new ArrayList<Double>();
    var chromaMs = new ArrayList<Double>();
    var chromaCpu = new ArrayList<Double>();
    var phases = new ArrayList<JsonNode>();
    runAncla(); // warm-up, not counted: page cache and launcher checks, as after Chroma's ingest
    if (chroma.isPresent()) {
      runChroma();
    }
    for (int i = 0; i < runs; i++) {
      AnclaRun run = runAncla();
      ancla.add(run.firstResultMs());
      anclaCpu.add(run.cpuMs());
      run.phases().ifPresent(phases::add);
      String line =
          String.format(
              java.util.Locale.ROOT,
              "run %d: ancla %.1f ms (cpu %.0f, exit %.1f) %s",
              i,
              run.firstResultMs(),
              run.cpuMs(),
              run.exitMs(),
              run.phases().map(JsonNode::toString).orElse(""));
      if (chroma.isPresent()) {
        ChromaRun c = runChroma();
        chromaMs.add(c.firstResultMs());
        chromaCpu.add(c.serverCpuMs());
        line +=
            String.format(
                java.util.Locale.ROOT,
                " | chroma %.1f ms (server cpu %.0f)",
                c.firstResultMs(),
                c.serverCpuMs());
      }
      err.println(line);
      err.flush();
    }
    var summary = new LinkedHashMap<String, Object>();
    summary.put("runs", runs);
    summary.put("launcher", child.launcher);
    summary.put("env", child.env);
    summary.put("ancla_first_result_ms", stats(ancla));
    summary.put("ancla_cpu_to_first_result_ms", stats(anclaCpu));
    summary.put("ancla_phases_median_ms", phaseMedians(phases));
    if (chroma.isPresent()) {
      summary.put("chroma_first_result_ms", stats(chromaMs));
      summary.put("chroma_server_cpu_to_first_result_ms", stats(chromaCpu));
      summary.put("ratio_of_medians", round(median(ancla) / median(chromaMs), 3));
      summary.put("cpu_ratio_of_medians", round(median(anclaCpu) / median(chromaCpu), 3));
    }
    spec.commandLine().getOut().println(BenchJson.write(summary));
    return 0;
  }

  record AnclaRun(double firstResultMs, double exitMs, double cpuMs, Optional<JsonNode> phases) {}

  record ChromaRun(double firstResultMs, double serverCpuMs) {}

  private AnclaRun runAncla() throws IOException, InterruptedException {
    List<String> command =
        child.command("bench", "first-query", "--data", data.toString(), "--q", String.valueOf(q));
    var builder = new ProcessBuilder(command);
    builder.environment().putAll(child.environment());
    Path stderr = Files.createTempFile("ancla-coldstart", ".err");
    builder.redirectError(stderr.toFile());
    Instant now = Instant.now();
    builder
        .environment()
        .put(
            "ANCLA_BENCH_T0_US",
            String.valueOf(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000));
    long t0 = System.nanoTime();
    Process process = builder.start();
    String first;
    try (var out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      first = out.readLine();
      long tFirst = System.nanoTime();
      // user + sys of all its threads so far (from /proc, 10 ms ticks): steadier than wall time
      // on a loaded machine
      double cpuMs =
          process.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
      while (out.readLine() != null) {
        // drain
      }
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("the launcher did not exit within 60 s");
      }
      long tExit = System.nanoTime();
      List<String> errLines = Files.readAllLines(stderr);
      Files.delete(stderr);
      if (process.exitValue() != 0 || first == null || first.split(" ").length != 10) {
        throw new IOException(
            "`"
                + String.join(" ", command)
                + "` exited "
                + process.exitValue()
                + " with first line \""
                + first
                + "\"; stderr:\n"
                + String.join("\n", errLines));
      }
      Optional<JsonNode> phases = Optional.empty();
      for (String line : errLines) {
        if (line.startsWith("{\"main_ms\"")) {
          phases = Optional.of(BenchJson.MAPPER.readTree(line));
        }
      }
      return new AnclaRun((tFirst - t0) / 1e6, (tExit - t0) / 1e6, cpuMs, phases);
    }
  }

  /**
   * One Chroma cold start; its first_result_ms is timed inside node, from spawn, as in bench.mjs.
   */
  private ChromaRun runChroma() throws IOException, InterruptedException {
    Path script = Path.of("bench", "chroma-coldstart.mjs");
    var builder =
        new ProcessBuilder(
            "node",
            script.toString(),
            "--base",
            chroma.orElseThrow().toString(),
            "--n",
            String.valueOf(chromaN));
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    String last = null;
    try (var out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        last = line;
      }
    }
    if (process.waitFor() != 0 || last == null) {
      throw new IOException("bench/chroma-coldstart.mjs failed (exit " + process.exitValue() + ")");
    }
    JsonNode result = BenchJson.MAPPER.readTree(last);
    return new ChromaRun(
        result.get("first_result_ms").asDouble(),
        result.path("server_cpu_ms").asDouble(Double.NaN));
  }

  static Map<String, Object> stats(List<Double> values) {
    var sorted = values.stream().sorted().toList();
    var stats = new LinkedHashMap<String, Object>();
    stats.put("median", round(median(values), 1));
    stats.put("min", round(sorted.getFirst(), 1));
    stats.put("max", round(sorted.getLast(), 1));
    stats.put("all", values.stream().map(v -> round(v, 1)).toList());
    return stats;
  }

  private static Map<String, Object> phaseMedians(List<JsonNode> phases) {
    var medians = new LinkedHashMap<String, Object>();
    if (phases.isEmpty()) {
      return medians;
    }
    phases
        .getFirst()
        .fieldNames()
        .forEachRemaining(
            name ->
                medians.put(
                    name,
                    round(median(phases.stream().map(p -> p.get(name).asDouble()).toList()), 1)));
    return medians;
  }

  static double median(List<Double> values) {
    var s = values.stream().sorted().toList();
    int m = s.size() / 2;
    return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
  }

  static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }
}
