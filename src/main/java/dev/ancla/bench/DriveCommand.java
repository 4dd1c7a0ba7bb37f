package dev.ancla.bench;

import dev.ancla.Ancla;
import dev.ancla.bench.drive.FakeDrive;
import dev.ancla.config.Config;
import dev.ancla.embed.OnnxEmbedder;
import dev.ancla.sync.ProgressTracker;
import dev.ancla.sync.SyncReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A Google Drive source end to end, against the local Drive v3 server ({@link FakeDrive}) with a
 * delay on every request, through the real Drive client and the production sync:
 *
 * <ol>
 *   <li>first syncs into fresh data directories, each followed by the bare model on the very chunk
 *       texts the sync embedded (runs alternate, so both see the same machine noise), with peak RSS
 *       and the fetch temporary files sampled during the sync;
 *   <li>syncs with nothing changed: Drive requests, downloads, chunks embedded, seconds;
 *   <li>syncs after a share of the files changed: downloads and chunks embedded against the count
 *       changed.
 * </ol>
 *
 * Files are short synthetic Spanish documents (a few sentences, one chunk each), a quarter of them
 * Google Docs (exported as Markdown), the rest plain text, in folders of {@code --files-per-folder}
 * two levels deep. Temporary files are counted in {@code java.io.tmpdir}: give the JVM its own
 * ({@code ANCLA_JAVA_OPTS=-Djava.io.tmpdir=DIR}) so that no other process's files are counted.
 */
@Command(
    name = "drive",
    mixinStandardHelpOptions = true,
    description =
        "Drive source vs the raw model, against a local Drive server with latency: first sync,"
            + " no-change sync, 1% changed.")
final class DriveCommand implements Callable<Integer> {
  private static final String DOC = "application/vnd.google-apps.document";

  @Spec CommandSpec spec;

  @Option(names = "--work", required = true, description = "Scratch directory (data dirs).")
  Path work;

  @Option(names = "--files", defaultValue = "13457")
  int files;

  @Option(names = "--files-per-folder", defaultValue = "100")
  int filesPerFolder;

  @Option(names = "--latency-ms", defaultValue = "20", description = "Delay of every request.")
  int latencyMs;

  @Option(
      names = "--page-size",
      defaultValue = "1000",
      description = "Most items the server returns in one page (Drive: 1000, often fewer).")
  int pageSize;

  @Option(names = "--runs", defaultValue = "3", description = "First syncs (each with a raw run).")
  int runs;

  @Option(
      names = "--skip-raw",
      description = "Skip the raw model runs (for the no-change and changed figures alone).")
  boolean skipRaw;

  @Option(names = "--no-change-runs", defaultValue = "5")
  int noChangeRuns;

  @Option(names = "--changed-runs", defaultValue = "3")
  int changedRuns;

  @Option(names = "--changed-percent", defaultValue = "1")
  double changedPercent;

  @Option(
      names = "--requests-per-second",
      description = "ANCLA_DRIVE_REQUESTS_PER_SECOND (default: Ancla's default).")
  Optional<Integer> requestsPerSecond;

  @Option(
      names = "--fetch-threads",
      description = "ANCLA_FETCH_THREADS (default: Ancla's default).")
  Optional<Integer> fetchThreads;

  @Option(names = "--threads", description = "Embed threads (ANCLA_EMBED_THREADS); default: cores.")
  Optional<Integer> threads;

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    var result = new LinkedHashMap<String, Object>();
    try (var drive = new FakeDrive();
        var model = OnnxEmbedder.bundled()) {
      drive.pageSize(pageSize);
      List<FakeDrive.Node> docs = populate(drive);
      drive.latency(Duration.ofMillis(latencyMs));
      var env = new LinkedHashMap<String, String>();
      env.put("ANCLA_DRIVE_CREDENTIALS", drive.serviceAccountJson());
      env.put("ANCLA_DRIVE_API_URL", drive.url().toString());
      requestsPerSecond.ifPresent(r -> env.put("ANCLA_DRIVE_REQUESTS_PER_SECOND", "" + r));
      fetchThreads.ifPresent(t -> env.put("ANCLA_FETCH_THREADS", String.valueOf(t)));
      threads.ifPresent(t -> env.put("ANCLA_EMBED_THREADS", String.valueOf(t)));
      String root = rootOf(drive, docs.getFirst());
      var shared = BenchAncla.shared(model);
      Path data = work.resolve("drive-data");
      Config config = null;

      var firstRuns = new ArrayList<Map<String, Object>>();
      for (int run = 0; run < runs; run++) {
        BenchAncla.deleteTree(data);
        config = BenchAncla.config(data, "gdrive:" + root, env);
        var parts = BenchAncla.parts(config, () -> shared);
        var r = new LinkedHashMap<String, Object>();
        int requestsBefore = drive.apiRequests();
        int downloadsBefore = drive.downloads();
        long rssBefore = Memory.rss();
        try (var sampler = new Sampler(tmp);
            var ancla = Ancla.openForWriting(config, parts)) {
          long start = System.nanoTime();
          long cpuStart = IngestCommand.cpuNanos() - serverCpuNanos();
          SyncReport report = ancla.sync().sync(new ProgressTracker(System::nanoTime));
          double seconds = (System.nanoTime() - start) / 1e9;
          // the local Drive server runs in this process: its threads' CPU is not Ancla's
          double syncCpuMs = (IngestCommand.cpuNanos() - serverCpuNanos() - cpuStart) / 1e6;
          sampler.stop();
          List<String> texts = IngestCommand.chunkTexts(ancla);
          long rawCpuStart = IngestCommand.cpuNanos();
          double raw =
              skipRaw ? Double.NaN : IngestCommand.rawRate(shared, texts, config.embedThreads());
          double rawCpuMs = (IngestCommand.cpuNanos() - rawCpuStart) / 1e6;
          double e2e = report.chunksEmbedded() / seconds;
          double e2eCpu = syncCpuMs / report.chunksEmbedded();
          double rawCpu = rawCpuMs / texts.size();
          r.put("files_added", report.added());
          r.put("failed", report.failed());
          r.put("chunks_embedded", report.chunksEmbedded());
          r.put("downloads", drive.downloads() - downloadsBefore);
          r.put("requests", drive.apiRequests() - requestsBefore);
          r.put("sync_s", ColdStartCommand.round(seconds, 2));
          r.put("e2e_chunks_per_s", ColdStartCommand.round(e2e, 1));
          r.put("raw_chunks_per_s", ColdStartCommand.round(raw, 1));
          r.put("ratio", ColdStartCommand.round(e2e / raw, 3));
          r.put("e2e_cpu_ms_per_chunk", ColdStartCommand.round(e2eCpu, 2));
          r.put("raw_cpu_ms_per_chunk", ColdStartCommand.round(rawCpu, 2));
          r.put("cpu_ratio", ColdStartCommand.round(rawCpu / e2eCpu, 3));
          r.put("rss_before_mb", mb(rssBefore));
          r.put("peak_rss_mb", mb(sampler.peakRss.get()));
          r.put("peak_temp_files", sampler.peakTempFiles.get());
          r.put("peak_temp_kb", sampler.peakTempBytes.get() / 1024);
        }
        r.put("temp_files_after", Sampler.tempFiles(tmp).size());
        firstRuns.add(r);
        err.println(String.format(Locale.ROOT, "first sync %d: %s", run, BenchJson.write(r)));
        err.flush();
      }
      result.put("files", files);
      result.put("latency_ms", latencyMs);
      result.put("page_size", pageSize);
      result.put("requests_per_second", config.drive().orElseThrow().requestsPerSecond());
      result.put("fetch_threads", config.fetchThreads());
      result.put("embed_threads", config.embedThreads());
      result.put("first_syncs", firstRuns);
      result.put("median_ratio", median(firstRuns, "ratio", 3));
      result.put("median_sync_s", median(firstRuns, "sync_s", 2));
      result.put("median_cpu_ratio", median(firstRuns, "cpu_ratio", 3));

      // the last run's index: syncs with nothing changed, each opening it as `ancla sync` does
      var modelLoaded = new AtomicBoolean();
      var counting =
          BenchAncla.parts(
              config,
              () -> {
                modelLoaded.set(true);
                return shared;
              });
      var noChange = new ArrayList<Map<String, Object>>();
      for (int run = 0; run < noChangeRuns; run++) {
        noChange.add(timedSync(drive, config, counting, "no-change " + run));
      }
      result.put("no_change_syncs", noChange);
      result.put("no_change_model_loaded", modelLoaded.get());

      var changed = new ArrayList<Map<String, Object>>();
      int step = (int) Math.max(1, Math.round(100 / changedPercent));
      for (int run = 0; run < changedRuns; run++) {
        int count = 0;
        for (int i = run; i < docs.size(); i += step) {
          drive.update(docs.get(i), text(i, 1 + run).getBytes(StandardCharsets.UTF_8));
          count++;
        }
        var r = timedSync(drive, config, counting, "changed " + run);
        r.put("files_changed", count);
        changed.add(r);
      }
      result.put("changed_syncs", changed);
    }
    spec.commandLine().getOut().println(BenchJson.write(result));
    return 0;
  }

  private Map<String, Object> timedSync(
      FakeDrive drive, Config config, Ancla.Parts parts, String label) throws Exception {
    int requestsBefore = drive.apiRequests();
    int downloadsBefore = drive.downloads();
    var r = new LinkedHashMap<String, Object>();
    long open = System.nanoTime();
    try (var ancla = Ancla.openForWriting(config, parts)) {
      long start = System.nanoTime();
      SyncReport report = ancla.sync().sync(new ProgressTracker(System::nanoTime));
      r.put("sync_s", ColdStartCommand.round((System.nanoTime() - start) / 1e9, 3));
      r.put("requests", drive.apiRequests() - requestsBefore);
      r.put("downloads", drive.downloads() - downloadsBefore);
      r.put("chunks_embedded", report.chunksEmbedded());
      r.put("files_changed_in_index", report.added() + report.changed());
      r.put("unchanged", report.unchanged());
      r.put("deleted", report.deleted());
    }
    r.put("open_sync_close_s", ColdStartCommand.round((System.nanoTime() - open) / 1e9, 3));
    var err = spec.commandLine().getErr();
    err.println(label + ": " + BenchJson.write(r));
    err.flush();
    return r;
  }

  /** Root, folders two levels deep, {@code files} documents; returns the documents in order. */
  private List<FakeDrive.Node> populate(FakeDrive drive) {
    FakeDrive.Node root = drive.folder("Equipo", null);
    drive.share(root.id);
    int folders = (files + filesPerFolder - 1) / filesPerFolder;
    int top = (int) Math.ceil(Math.sqrt(folders));
    var tops = new ArrayList<FakeDrive.Node>();
    for (int t = 0; t < top; t++) {
      tops.add(drive.folder("Área " + t, root.id));
    }
    var docs = new ArrayList<FakeDrive.Node>(files);
    FakeDrive.Node folder = null;
    for (int i = 0; i < files; i++) {
      if (i % filesPerFolder == 0) {
        int f = i / filesPerFolder;
        folder = drive.folder("Carpeta " + f, tops.get(f % top).id);
      }
      byte[] content = text(i, 0).getBytes(StandardCharsets.UTF_8);
      docs.add(
          i % 4 == 0
              ? drive.nativeFile("Documento " + i, folder.id, DOC, "text/markdown", content)
              : drive.file("nota-" + i + ".txt", folder.id, "text/plain", content));
    }
    return docs;
  }

  private static String rootOf(FakeDrive drive, FakeDrive.Node doc) {
    FakeDrive.Node at = drive.node(doc.parent);
    while (at.parent != null) {
      at = drive.node(at.parent);
    }
    return at.id;
  }

  private static final String[] SUBJECTS = {
    "El equipo",
    "La directora",
    "El cliente",
    "La oficina de Madrid",
    "El comité",
    "La empresa",
    "El proveedor",
    "La auditoría",
    "El departamento legal",
    "La responsable de ventas"
  };
  private static final String[] VERBS = {
    "revisó",
    "aprobó",
    "envió",
    "actualizó",
    "presentó",
    "rechazó",
    "firmó",
    "preparó",
    "solicitó",
    "publicó"
  };
  private static final String[] OBJECTS = {
    "el contrato de mantenimiento", "la factura del trimestre", "el informe anual",
    "la política de seguridad", "el presupuesto del proyecto", "las actas de la reunión",
    "el plan de formación", "la propuesta comercial", "el inventario del almacén",
    "la encuesta de satisfacción"
  };
  private static final String[] TAILS = {
    "antes del viernes", "con varios cambios", "según lo acordado", "para el nuevo cliente",
    "tras la reunión del lunes", "sin comentarios", "con retraso", "en la plataforma interna",
    "junto con los anexos", "para su aprobación final"
  };

  /** A few Spanish sentences, fixed by {@code (i, version)}. */
  static String text(int i, int version) {
    var random = new SplittableRandom(i * 7919L + version);
    var text = new StringBuilder("Documento ").append(i).append(". ");
    int sentences = 3 + random.nextInt(3);
    for (int s = 0; s < sentences; s++) {
      text.append(SUBJECTS[random.nextInt(SUBJECTS.length)])
          .append(' ')
          .append(VERBS[random.nextInt(VERBS.length)])
          .append(' ')
          .append(OBJECTS[random.nextInt(OBJECTS.length)])
          .append(' ')
          .append(TAILS[random.nextInt(TAILS.length)])
          .append(". ");
    }
    return text.append("Referencia ").append(i * 31 + version).append(".\n").toString();
  }

  /** CPU time of the local Drive server's threads (its pool and the HTTP dispatcher). */
  private static long serverCpuNanos() {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long total = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
      if (name.startsWith("fake-drive") || name.startsWith("HTTP-Dispatcher")) {
        long cpu = threads.getThreadCpuTime(t.threadId());
        total += Math.max(0, cpu);
      }
    }
    return total;
  }

  private static double median(List<Map<String, Object>> runs, String key, int digits) {
    return ColdStartCommand.round(
        ColdStartCommand.median(runs.stream().map(r -> (Double) r.get(key)).toList()), digits);
  }

  private static long mb(long bytes) {
    return bytes / (1024 * 1024);
  }

  /** Resident memory of this process, from /proc (0 where there is none). */
  static final class Memory {
    static long rss() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
          }
        }
      } catch (IOException | NumberFormatException e) {
        return 0;
      }
      return 0;
    }
  }

  /** Samples RSS and the fetch temporary files every 20 ms on a daemon thread. */
  static final class Sampler implements AutoCloseable {
    final AtomicLong peakRss = new AtomicLong();
    final AtomicLong peakTempFiles = new AtomicLong();
    final AtomicLong peakTempBytes = new AtomicLong();
    private final Path tmp;
    private final Thread thread;
    private volatile boolean running = true;

    Sampler(Path tmp) {
      this.tmp = tmp;
      this.thread = Thread.ofPlatform().daemon().name("bench-sampler").start(this::loop);
    }

    private void loop() {
      while (running) {
        sample();
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void sample() {
      peakRss.accumulateAndGet(Memory.rss(), Math::max);
      List<Path> temps = tempFiles(tmp);
      long bytes = 0;
      for (Path p : temps) {
        try {
          bytes += Files.size(p);
        } catch (IOException e) {
          // deleted meanwhile
        }
      }
      peakTempFiles.accumulateAndGet(temps.size(), Math::max);
      peakTempBytes.accumulateAndGet(bytes, Math::max);
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
      sample();
    }

    static List<Path> tempFiles(Path tmp) {
      try (var list = Files.newDirectoryStream(tmp, "ancla-fetch-*")) {
        var out = new ArrayList<Path>();
        list.forEach(out::add);
        return out;
      } catch (IOException e) {
        return List.of();
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }
}
