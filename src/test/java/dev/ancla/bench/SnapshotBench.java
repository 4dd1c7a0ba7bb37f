package dev.ancla.bench;

import dev.ancla.config.Config.S3Credentials;
import dev.ancla.config.Config.SnapshotTarget;
import dev.ancla.index.ChunkRecord;
import dev.ancla.index.IndexStore;
import dev.ancla.index.RegistryEntry;
import dev.ancla.query.HybridRetriever;
import dev.ancla.snapshot.BlobStore;
import dev.ancla.snapshot.BlobStores;
import dev.ancla.snapshot.Manifest;
import dev.ancla.snapshot.Restorer;
import dev.ancla.snapshot.Retention;
import dev.ancla.snapshot.SnapshotMirror;
import dev.ancla.snapshot.StatCheck;
import dev.ancla.snapshot.WriterLease;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Snapshot and restore figures for docs/BENCHMARKS.md ("Snapshots and restore"), against S3Proxy
 * started here on a free loopback port with jclouds' filesystem store (bytes on disk, as a real
 * object store keeps them). Lives in the test sources because S3Proxy is a test dependency; run it
 * with {@code bench/snapshots.sh --data DIR}, DIR holding the index {@code ancla bench synthetic}
 * writes.
 *
 * <ol>
 *   <li>restore to ready (restore + open for writing + first kNN search) vs a plain parallel
 *       download of the same blobs on the same number of threads, interleaved;
 *   <li>snapshot after a 1% change, and after no change: bytes uploaded and seconds;
 *   <li>SIGTERM to exit of {@code ./ancla serve} with an unpublished commit (the final snapshot).
 * </ol>
 *
 * Prints one JSON object per line; the last line is the summary.
 */
public final class SnapshotBench {
  private static final String BUCKET = "bench";
  private static final int FILES_PER_PERCENT =
      9; // 9 source files x 16 chunks = 144 of 13,457 chunks

  private final Path data;
  private final Path work;
  private final int threads;
  private double
      lastRestoreOnlyMs; // of the last restoreToReady: Restorer alone, before open+search
  private final S3ProxyJunitCore proxy;
  private final Clock clock = Clock.systemUTC();

  private SnapshotBench(Path data, Path work, int threads, S3ProxyJunitCore proxy) {
    this.data = data;
    this.work = work;
    this.threads = threads;
    this.proxy = proxy;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts =
        new HashMap<>(
            Map.of(
                "--runs",
                "7",
                "--threads",
                "4",
                "--sigterm-runs",
                "5",
                "--launcher",
                "./ancla",
                "--only",
                "all"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i], args[i + 1]);
    }
    if (!opts.containsKey("--data")) {
      System.err.println(
          "usage: SnapshotBench --data DIR [--runs 7] [--threads 4] [--sigterm-runs 5] [--launcher ./ancla] [--only all|restore|integrity|interrupted] [--scrub-mb 256] [--seed 11] [--scenarios cut,lie,kill,damage,flip]");
      System.exit(2);
    }
    var proxy =
        new S3ProxyJunitCore.Builder()
            .withCredentials("AKIABENCH00000000001", "bench-secret-0123456789abcdefghijklmnop")
            .withBlobStoreProvider("filesystem")
            .build();
    proxy.beforeEach();
    Path work = Files.createTempDirectory("ancla-snapshot-bench");
    try {
      var bench =
          new SnapshotBench(
              Path.of(opts.get("--data")), work, Integer.parseInt(opts.get("--threads")), proxy);
      bench.createBucket();
      var summary = new LinkedHashMap<String, Object>();
      if (opts.get("--only").equals("interrupted")) { // docs/BENCHMARKS.md section 6c only
        summary.put(
            "interrupted",
            bench.interrupted(
                Integer.parseInt(opts.get("--runs")),
                Long.parseLong(opts.getOrDefault("--seed", "11")),
                List.of(opts.getOrDefault("--scenarios", "cut,lie,kill,damage,flip").split(","))));
        System.out.println(BenchJson.write(summary));
        proxy.afterEach();
        deleteTree(work);
        System.exit(0);
      }
      if (opts.get("--only").equals("integrity")) { // docs/BENCHMARKS.md section 6b only
        summary.put(
            "integrity",
            bench.integrity(
                Integer.parseInt(opts.get("--runs")),
                Integer.parseInt(opts.getOrDefault("--scrub-mb", "256"))));
        System.out.println(BenchJson.write(summary));
        proxy.afterEach();
        deleteTree(work);
        System.exit(0);
      }
      summary.put("restore", bench.restore(Integer.parseInt(opts.get("--runs"))));
      if (!opts.get("--only").equals("restore")) { // "restore": part (a) only, for quick checks
        summary.put("incremental", bench.incremental(5));
        summary.put(
            "sigterm",
            bench.sigterm(Integer.parseInt(opts.get("--sigterm-runs")), opts.get("--launcher")));
      }
      System.out.println(BenchJson.write(summary));
    } finally {
      proxy.afterEach();
      deleteTree(work);
    }
    System.exit(0); // S3Proxy's Jetty threads are not daemons
  }

  // ---- (a) restore vs plain download ----

  private Map<String, Object> restore(int runs) throws Exception {
    Path source = copyIndex(data.resolve("index"), work.resolve("source/index"));
    Manifest manifest;
    long uploadMs;
    try (var store = blobs("a");
        var writer = new Writer(source, store)) {
      long t = System.nanoTime();
      manifest = writer.mirror.snapshot().manifest();
      uploadMs = (System.nanoTime() - t) / 1_000_000;
    }
    emit(
        Map.of(
            "phase",
            "full-upload",
            "bytes",
            manifest.bytes(),
            "files",
            manifest.files().size(),
            "ms",
            uploadMs));
    var download = new ArrayList<double[]>();
    var durable = new ArrayList<double[]>();
    var ready = new ArrayList<double[]>();
    var restoreOnly = new ArrayList<double[]>();
    List<String> order = List.of("plain-download", "download-sha256-fsync", "restore-to-ready");
    try (var store = blobs("a")) {
      for (int run = -1; run < runs; run++) { // run -1 warms up all three, untimed
        for (int k = 0; k < 3; k++) {
          String variant = order.get(Math.floorMod(k + run, 3)); // rotate who goes first
          Path target = work.resolve("restore-" + run + "-" + k + "/index");
          double[] t =
              switch (variant) {
                case "plain-download" -> timed(() -> download(store, manifest, target, false));
                case "download-sha256-fsync" ->
                    timed(() -> download(store, manifest, target, true));
                default -> timed(() -> restoreToReady(store, target));
              };
          if (run >= 0) {
            (switch (variant) {
                  case "plain-download" -> download;
                  case "download-sha256-fsync" -> durable;
                  default -> ready;
                })
                .add(t);
            if (variant.equals("restore-to-ready")) {
              restoreOnly.add(new double[] {lastRestoreOnlyMs});
              emit(
                  Map.of(
                      "phase",
                      variant,
                      "run",
                      run,
                      "wall_ms",
                      t[0],
                      "cpu_ms",
                      t[1],
                      "restorer_wall_ms",
                      lastRestoreOnlyMs));
            } else {
              emit(Map.of("phase", variant, "run", run, "wall_ms", t[0], "cpu_ms", t[1]));
            }
          }
          deleteTree(target.getParent());
        }
      }
    }
    var out = new LinkedHashMap<String, Object>();
    out.put("bytes", manifest.bytes());
    out.put("files", manifest.files().size());
    out.put("threads", threads);
    out.put("runs", runs);
    out.put("plain_download_wall_ms", median(download, 0));
    out.put("plain_download_cpu_ms", median(download, 1));
    out.put("download_sha256_fsync_wall_ms", median(durable, 0));
    out.put("download_sha256_fsync_cpu_ms", median(durable, 1));
    out.put("restore_to_ready_wall_ms", median(ready, 0));
    out.put("restore_to_ready_cpu_ms", median(ready, 1));
    out.put("restorer_only_wall_ms", median(restoreOnly, 0)); // restore to ready less open+search
    out.put("ratio_wall", round(median(ready, 0) / median(download, 0)));
    out.put("ratio_cpu", round(median(ready, 1) / median(download, 1)));
    out.put("ratio_wall_per_run", ratios(ready, download));
    return out;
  }

  /**
   * The baseline: the same blobs, same thread count, written to files; no hashing, no fsync, no
   * checks. With {@code durable}, also SHA-256 of each stream and fsync of each file, as restore
   * does, to split restore's overhead into those and the rest (Lucene checks, open, search).
   */
  private Void download(BlobStore store, Manifest manifest, Path dir, boolean durable)
      throws Exception {
    Files.createDirectories(dir);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      var futures = new ArrayList<Future<Long>>();
      for (Manifest.FileEntry f : manifest.files()) {
        futures.add(
            pool.submit(
                () -> {
                  if (!durable) {
                    try (InputStream in = store.open(f.blobKey())) {
                      return Files.copy(in, dir.resolve(f.name()));
                    }
                  }
                  var sha = java.security.MessageDigest.getInstance("SHA-256");
                  try (InputStream in =
                          new java.security.DigestInputStream(store.open(f.blobKey()), sha);
                      var channel =
                          java.nio.channels.FileChannel.open(
                              dir.resolve(f.name()),
                              java.nio.file.StandardOpenOption.CREATE_NEW,
                              java.nio.file.StandardOpenOption.WRITE)) {
                    long n = in.transferTo(java.nio.channels.Channels.newOutputStream(channel));
                    channel.force(true);
                    return n;
                  }
                }));
      }
      for (var f : futures) {
        f.get();
      }
    }
    return null;
  }

  /** What boot does on an empty disk: restore (download, verify, open, compare), open, search. */
  private Void restoreToReady(BlobStore store, Path indexDir) throws Exception {
    long t = System.nanoTime();
    new Restorer(store, threads).restoreNewest(indexDir).orElseThrow();
    lastRestoreOnlyMs = (System.nanoTime() - t) / 1e6;
    try (var index = IndexStore.openForWriting(indexDir, SyntheticIndex.analyzer())) {
      var hits =
          new HybridRetriever(index, SyntheticIndex.analyzer(), Optional.empty())
              .searchByVector(SyntheticCorpus.standard().queryVector(0), 10);
      if (hits.size() != 10) {
        throw new IllegalStateException("expected 10 hits, got " + hits.size());
      }
    }
    return null;
  }

  // ---- (b) incremental snapshots ----

  private Map<String, Object> incremental(int rounds) throws Exception {
    Path index = work.resolve("source/index");
    var changed = new ArrayList<double[]>();
    var unchanged = new ArrayList<double[]>();
    var uploaded = new ArrayList<Long>();
    long total = 0;
    try (var store = blobs("a");
        var writer = new Writer(index, store)) {
      for (int round = 0; round < rounds; round++) {
        int chunks = writer.changeOnePercent(round);
        long t = System.nanoTime();
        long cpu = cpuNanos();
        var result = writer.mirror.snapshot();
        changed.add(new double[] {(System.nanoTime() - t) / 1e6, (cpuNanos() - cpu) / 1e6});
        uploaded.add(result.uploadedBytes());
        total = result.manifest().bytes();
        emit(
            Map.of(
                "phase",
                "snapshot-after-1%",
                "round",
                round,
                "chunks_changed",
                chunks,
                "uploaded_bytes",
                result.uploadedBytes(),
                "uploaded_files",
                result.uploadedFiles(),
                "index_bytes",
                total,
                "wall_ms",
                changed.getLast()[0],
                "cpu_ms",
                changed.getLast()[1]));
        t = System.nanoTime();
        cpu = cpuNanos();
        var none = writer.mirror.snapshot();
        unchanged.add(new double[] {(System.nanoTime() - t) / 1e6, (cpuNanos() - cpu) / 1e6});
        emit(
            Map.of(
                "phase",
                "snapshot-no-change",
                "round",
                round,
                "uploaded_bytes",
                none.uploadedBytes(),
                "wall_ms",
                unchanged.getLast()[0],
                "cpu_ms",
                unchanged.getLast()[1]));
      }
    }
    var sorted = uploaded.stream().sorted().toList();
    var out = new LinkedHashMap<String, Object>();
    out.put("index_bytes", total);
    out.put("uploaded_bytes_median", sorted.get(sorted.size() / 2));
    out.put("uploaded_fraction_median", round((double) sorted.get(sorted.size() / 2) / total));
    out.put("after_1pct_wall_ms", median(changed, 0));
    out.put("after_1pct_cpu_ms", median(changed, 1));
    out.put("no_change_wall_ms", median(unchanged, 0));
    out.put("no_change_cpu_ms", median(unchanged, 1));
    return out;
  }

  // ---- (d) what proving blobs costs: verification after publishing, and the scrub ----

  /**
   * Post-publish verification (a HEAD per blob of the new snapshot) as a share of the snapshot's
   * own time, after a 1% change and after none; then the scrub (every blob read and hashed against
   * its key) vs a plain parallel download of the same blobs to nowhere, interleaved, after adding
   * {@code scrubMb} MB of random 16 MiB blobs so the figure is per GB rather than per index.
   */
  private Map<String, Object> integrity(int runs, int scrubMb) throws Exception {
    Path index = copyIndex(data.resolve("index"), work.resolve("integrity/index"));
    var changed = new ArrayList<double[]>(); // snapshot ms, verify ms, verify requests, files
    var unchanged = new ArrayList<double[]>();
    var out = new LinkedHashMap<String, Object>();
    try (var store = blobs("i");
        var writer = new Writer(index, store)) {
      var first = writer.mirror.snapshot();
      emit(
          Map.of(
              "phase", "full-upload",
              "snapshot_ms", first.took().toMillis(),
              "verify_ms", first.verifyTook().toNanos() / 1e6,
              "verify_requests", first.verifyRequests(),
              "verified", first.verified()));
      for (int run = 0; run < runs; run++) {
        writer.changeOnePercent(300 + run);
        for (var list : List.of(changed, unchanged)) {
          var r = writer.mirror.snapshot();
          if (!r.verified()) {
            throw new IOException("snapshot did not verify: " + r.problems());
          }
          list.add(
              new double[] {
                r.took().toNanos() / 1e6,
                r.verifyTook().toNanos() / 1e6,
                r.verifyRequests(),
                r.manifest().files().size()
              });
          emit(
              Map.of(
                  "phase",
                  list == changed ? "snapshot-after-1%" : "snapshot-no-change",
                  "run",
                  run,
                  "snapshot_ms",
                  list.getLast()[0],
                  "verify_ms",
                  list.getLast()[1],
                  "verify_requests",
                  r.verifyRequests(),
                  "files",
                  r.manifest().files().size()));
        }
      }
      for (var e : Map.of("after_1pct", changed, "no_change", unchanged).entrySet()) {
        out.put(e.getKey() + "_snapshot_ms", median(e.getValue(), 0));
        out.put(e.getKey() + "_verify_ms", median(e.getValue(), 1));
        out.put(e.getKey() + "_verify_requests", median(e.getValue(), 2));
        out.put(e.getKey() + "_files", median(e.getValue(), 3));
        out.put(
            e.getKey() + "_verify_share", round(median(e.getValue(), 1) / median(e.getValue(), 0)));
      }

      var random = new java.util.Random(11);
      byte[] chunk = new byte[16 << 20];
      for (int i = 0; i < scrubMb / 16; i++) {
        random.nextBytes(chunk);
        Path file = Files.write(work.resolve("bulk"), chunk);
        String sha;
        try (InputStream in = Files.newInputStream(file)) {
          var md = java.security.MessageDigest.getInstance("SHA-256");
          md.update(in.readAllBytes());
          sha = java.util.HexFormat.of().formatHex(md.digest());
        }
        store.put("blobs/" + sha, file, sha);
      }
      Files.deleteIfExists(work.resolve("bulk"));
      var scrubber = new dev.ancla.snapshot.Scrubber(store, threads, Optional.empty());
      var scrub = new ArrayList<double[]>();
      var plain = new ArrayList<double[]>();
      long bytes = store.list("blobs/").stream().mapToLong(BlobStore.Blob::size).sum();
      for (int run = -1; run < runs; run++) { // run -1 warms both up, untimed
        for (String variant :
            run % 2 == 0 ? List.of("scrub", "plain") : List.of("plain", "scrub")) {
          double[] t =
              variant.equals("scrub")
                  ? timed(
                      () -> {
                        var report = scrubber.all();
                        if (!report.damaged().isEmpty()) {
                          throw new IOException("damaged: " + report.damaged());
                        }
                        return report;
                      })
                  : timed(() -> readAll(store));
          if (run >= 0) {
            (variant.equals("scrub") ? scrub : plain).add(t);
            emit(Map.of("phase", variant, "run", run, "wall_ms", t[0], "cpu_ms", t[1]));
          }
        }
      }
      out.put("scrub_bytes", bytes);
      out.put("scrub_wall_ms", median(scrub, 0));
      out.put("scrub_cpu_ms", median(scrub, 1));
      out.put("plain_download_wall_ms", median(plain, 0));
      out.put("plain_download_cpu_ms", median(plain, 1));
      out.put("scrub_s_per_gb", round(median(scrub, 0) / 1000 / (bytes / 1e9)));
      out.put("plain_s_per_gb", round(median(plain, 0) / 1000 / (bytes / 1e9)));
      out.put("ratio_wall", round(median(scrub, 0) / median(plain, 0)));
      out.put("ratio_cpu", round(median(scrub, 1) / median(plain, 1)));
    }
    return out;
  }

  // ---- (e) restorable after interrupted uploads ----

  /**
   * For each scenario, {@code runs} times: a few documents replaced and one added (a commit), a
   * snapshot of it interrupted at a random point, the next snapshot taken normally, and then the
   * check a user relies on: the newest snapshot Ancla reports as good ({@code status}'s newest
   * verified: {@link StatCheck#newestVerified}) restores onto an empty folder and equals the commit
   * it was taken of (document count and every live document's stored fields). A snapshot reported
   * good that does not restore, or restores to other content, is a false success.
   *
   * <ul>
   *   <li>{@code cut}: after a random number of blob uploads pass, the store keeps a random share
   *       of each later one under its final key and cuts the connection ({@code CuttingS3Proxy});
   *   <li>{@code lie}: the same, but the store answers 200 to the truncated body;
   *   <li>{@code kill}: Ancla dies at a random moment of the upload: the snapshot's thread is
   *       interrupted and its S3 client closed under it; a new mirror, lease and client are built
   *       as a restart would, and take the next snapshot;
   *   <li>{@code damage}: a random blob of the snapshot just published is truncated in place at a
   *       random length (rewritten without the checksum metadata, as a hand edit or a faulty
   *       store), between that snapshot and the next;
   *   <li>{@code flip}: a random byte of a random blob flipped in place, length and recorded
   *       checksum kept, so only reading finds it; one scrub pass ({@link Scrubber#all}, as serve's
   *       hourly scrub) runs before the next snapshot. {@code flip-noscrub}: the same without the
   *       scrub, to show what the stat check alone cannot see.
   * </ul>
   *
   * Retention keeps 2 snapshots (ANCLA_SNAPSHOT_KEEP's minimum) with a 1-minute grace for blobs.
   */
  private Map<String, Object> interrupted(int runs, long seed, List<String> scenarios)
      throws Exception {
    var out = new LinkedHashMap<String, Object>();
    try (S3Client direct = s3Client();
        var cutting = new dev.ancla.snapshot.CuttingS3Proxy(proxy.getUri(), direct)) {
      for (String scenario : scenarios) {
        out.put(scenario, interruptedScenario(scenario, runs, new java.util.Random(seed), cutting));
      }
    }
    return out;
  }

  private Map<String, Object> interruptedScenario(
      String scenario, int runs, java.util.Random random, dev.ancla.snapshot.CuttingS3Proxy cutting)
      throws Exception {
    String prefix = "x-" + scenario;
    Path index = copyIndex(data.resolve("index"), work.resolve(prefix + "/index"));
    int files = Math.max(1, Content.of(index).documents() / SyntheticCorpus.CHUNKS_PER_FILE);
    var expected = new HashMap<Long, Content>(); // by commit generation
    int restorable = 0;
    int none = 0;
    int falseSuccess = 0;
    int newestIsLatest = 0; // the newest good snapshot is of the index's latest commit
    int interrupted = 0; // iterations where the interruption did hit the snapshot
    int bootRestores = 0; // after a false success, what boot's restore (with fallback) still gets
    int afterReport = 0; // after a false success, once the writer repaired what it reported
    var iterationMs = new ArrayList<double[]>();
    var interruptedMs = new ArrayList<double[]>();
    var problems = new ArrayList<String>();
    var retention = new Retention(2, Duration.ofMinutes(1), clock);
    var proxied = blobs(prefix, cutting.uri());
    var direct = blobs(prefix); // for looking, damaging, checking and restoring
    var live = new ArrayList<BlobStore>(List.of(proxied, direct));
    try (var writer = new Writer(index, proxied, retention)) {
      expected.put(generation(writer), Content.of(index));
      var kills = new java.util.concurrent.CopyOnWriteArrayList<Long>(); // ms, for kill delays
      kills.add(writer.mirror.snapshot().took().toMillis()); // the first, full upload: not counted
      for (int run = 0; run < runs; run++) {
        long t = System.nanoTime();
        var changed = new ArrayList<Integer>();
        for (int j = 0; j < 1 + random.nextInt(3); j++) {
          changed.add(random.nextInt(files)); // replaced
        }
        changed.add(files + runs * scenarios(scenario) + run); // added
        writer.changeFiles(1000 + run, changed);
        long generation = generation(writer);
        expected.put(generation, Content.of(index));
        long ti = System.nanoTime();
        boolean hit =
            switch (scenario) {
              case "cut", "lie" -> {
                int before = cutting.damaged();
                cutting.damageAfter(
                    scenario.equals("cut")
                        ? dev.ancla.snapshot.CuttingS3Proxy.Mode.CUT
                        : dev.ancla.snapshot.CuttingS3Proxy.Mode.LIE,
                    random.nextInt(3),
                    random::nextDouble);
                try {
                  var r = writer.mirror.snapshot();
                  if (scenario.equals("cut") && cutting.damaged() > before) {
                    problems.add(run + ": a cut upload ended in a published snapshot");
                  }
                  if (r.verified() && cutting.damaged() > before) {
                    problems.add(run + ": a snapshot with a damaged blob verified");
                  }
                } catch (IOException e) {
                  // the cut reached Ancla: the snapshot failed, nothing published
                } finally {
                  cutting.mode(dev.ancla.snapshot.CuttingS3Proxy.Mode.PASS);
                }
                yield cutting.damaged() > before;
              }
              case "kill" -> {
                BlobStore doomed = blobs(prefix);
                live.add(doomed);
                writer.restart(doomed);
                var mirror = writer.mirror;
                // a moment within the snapshot's usual length: the median of those that finished,
                // starting from the first (full) upload's
                long median = kills.stream().sorted().toList().get(kills.size() / 2);
                long delayNanos = (long) (random.nextDouble() * median * 1_000_000);
                var done = new java.util.concurrent.atomic.AtomicBoolean();
                Thread upload =
                    Thread.ofPlatform()
                        .name("doomed-snapshot")
                        .start(
                            () -> {
                              try {
                                long s = System.nanoTime();
                                mirror.snapshot();
                                kills.add((System.nanoTime() - s) / 1_000_000);
                                done.set(true);
                              } catch (Exception e) {
                                // the kill reached it mid-snapshot
                              }
                            });
                java.util.concurrent.locks.LockSupport.parkNanos(delayNanos);
                upload.interrupt();
                doomed.close(); // the process is gone: its connections with it
                upload.join(60_000);
                if (upload.isAlive()) {
                  throw new IOException("an interrupted snapshot did not stop within 60 s");
                }
                Thread.interrupted();
                writer.restart(blobs(prefix)); // the restart
                live.add(writer.mirror.store());
                yield !done.get();
              }
              case "damage", "flip", "flip-noscrub" -> {
                var r = writer.mirror.snapshot();
                var victim = r.manifest().files().get(random.nextInt(r.manifest().files().size()));
                byte[] bytes;
                try (InputStream in = direct.open(victim.blobKey())) {
                  bytes = in.readAllBytes();
                }
                String key = "blobs/" + victim.sha256();
                if (scenario.equals("damage")) {
                  putRaw(
                      prefix,
                      key,
                      java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length)),
                      Optional.empty());
                } else {
                  bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
                  putRaw(prefix, key, bytes, Optional.of(victim.sha256()));
                  if (scenario.equals("flip")) {
                    new dev.ancla.snapshot.Scrubber(
                            direct, threads, Optional.of(writer.mirror.local()))
                        .all();
                  }
                }
                yield true;
              }
              default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            };
        interrupted += hit ? 1 : 0;
        interruptedMs.add(new double[] {(System.nanoTime() - ti) / 1e6});
        var next = writer.mirror.snapshot(); // the next snapshot, taken normally

        var good =
            new StatCheck(direct, threads)
                .newestVerified(Manifest.listing(direct), new HashMap<>());
        String outcome;
        if (good.isEmpty()) {
          none++;
          outcome = "none";
        } else {
          Path target = work.resolve(prefix + "-restore-" + run + "/index");
          try {
            new Restorer(direct, threads).restore(good.get().id(), target);
            Content want = expected.get(good.get().generation());
            Content got = Content.of(target);
            if (got.equals(want)) {
              restorable++;
              outcome = "restorable";
            } else {
              falseSuccess++;
              outcome = "false-success";
              problems.add(
                  run
                      + ": "
                      + good.get().id()
                      + " restored to other content: "
                      + got
                      + " vs "
                      + want);
            }
          } catch (IOException e) {
            falseSuccess++;
            outcome = "false-success";
            problems.add(run + ": " + good.get().id() + " reported good, restore failed: " + e);
            bootRestores += bootRestores(direct, work.resolve(prefix + "-boot-" + run + "/index"));
            // the failed restore reported the damage; the writer's repair task (every 15 s in
            // serve) re-uploads it from the local index: is what status then calls good whole?
            new dev.ancla.snapshot.Scrubber(direct, threads, Optional.of(writer.mirror.local()))
                .repairReported();
            afterReport += restoresWhole(direct, expected, prefix + "-after-" + run);
          } finally {
            deleteTree(target.getParent());
          }
          newestIsLatest += good.get().generation() == generation ? 1 : 0;
        }
        iterationMs.add(new double[] {(System.nanoTime() - t) / 1e6});
        emit(
            Map.of(
                "phase",
                "interrupted-" + scenario,
                "run",
                run,
                "hit",
                hit,
                "next_verified",
                next.verified(),
                "outcome",
                outcome,
                "ms",
                iterationMs.getLast()[0]));
      }
    } finally {
      for (var s : live) {
        s.close();
      }
    }
    var result = new LinkedHashMap<String, Object>();
    result.put("runs", runs);
    result.put("interruption_hit", interrupted);
    result.put("restorable", restorable);
    result.put("no_good_snapshot", none);
    result.put("false_success", falseSuccess);
    result.put("newest_good_is_latest_commit", newestIsLatest);
    result.put("boot_restores_after_false_success", bootRestores);
    result.put("restorable_after_the_writer_repaired_the_report", afterReport);
    result.put("iteration_ms_median", median(iterationMs, 0));
    result.put(
        "iteration_ms_max", round(iterationMs.stream().mapToDouble(v -> v[0]).max().orElse(0)));
    result.put("interrupted_step_ms_median", median(interruptedMs, 0));
    result.put("problems", problems);
    return result;
  }

  /** 1 when the newest snapshot status calls good restores to its commit's content, else 0. */
  private int restoresWhole(BlobStore store, Map<Long, Content> expected, String name)
      throws IOException {
    var good =
        new StatCheck(store, threads).newestVerified(Manifest.listing(store), new HashMap<>());
    if (good.isEmpty()) {
      return 0;
    }
    Path target = work.resolve(name + "/index");
    try {
      new Restorer(store, threads).restore(good.get().id(), target);
      return Content.of(target).equals(expected.get(good.get().generation())) ? 1 : 0;
    } catch (IOException e) {
      return 0;
    } finally {
      deleteTree(target.getParent());
    }
  }

  /** Whether boot's restore (newest first, falling back to older ones) restores anything. */
  private int bootRestores(BlobStore store, Path target) throws IOException {
    try {
      return new Restorer(store, threads, Duration.ZERO).restoreNewest(target).isPresent() ? 1 : 0;
    } catch (IOException e) {
      return 0;
    } finally {
      deleteTree(target.getParent());
    }
  }

  /** Scenario number, so each scenario adds source files of its own. */
  private static int scenarios(String scenario) {
    return List.of("cut", "lie", "kill", "damage", "flip", "flip-noscrub").indexOf(scenario) + 1;
  }

  private static long generation(Writer writer) throws IOException {
    return writer.index.lastCommit().orElseThrow().generation();
  }

  /** Overwrites a blob in place, as a hand edit or a faulty store does, bypassing Ancla. */
  private void putRaw(String prefix, String key, byte[] bytes, Optional<String> sha256) {
    String full = prefix + "/" + key;
    try (S3Client s3 = s3Client()) {
      s3.putObject(
          b -> {
            b.bucket(BUCKET).key(full);
            sha256.ifPresent(sha -> b.metadata(Map.of("sha256", sha)));
          },
          software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
    }
  }

  /** What a commit holds: its live documents' count and stored fields, hashed in a stable order. */
  record Content(int documents, String storedSha256) {
    static Content of(Path indexDir) throws IOException {
      try (var directory = org.apache.lucene.store.FSDirectory.open(indexDir);
          var reader = org.apache.lucene.index.DirectoryReader.open(directory)) {
        var stored = new ArrayList<String>();
        for (var leaf : reader.leaves()) {
          var fields = leaf.reader().storedFields();
          var liveDocs = leaf.reader().getLiveDocs();
          for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
            if (liveDocs != null && !liveDocs.get(doc)) {
              continue;
            }
            var text = new StringBuilder();
            for (var f : fields.document(doc)) {
              text.append(f.name()).append('=');
              if (f.binaryValue() != null) {
                text.append(
                    java.util.HexFormat.of()
                        .formatHex(
                            f.binaryValue().bytes,
                            f.binaryValue().offset,
                            f.binaryValue().offset + f.binaryValue().length));
              } else {
                text.append(f.stringValue() != null ? f.stringValue() : f.numericValue());
              }
              text.append(';');
            }
            stored.add(text.toString());
          }
        }
        stored.sort(null);
        var md = java.security.MessageDigest.getInstance("SHA-256");
        for (String doc : stored) {
          md.update(doc.getBytes(StandardCharsets.UTF_8));
          md.update((byte) 0);
        }
        return new Content(reader.numDocs(), java.util.HexFormat.of().formatHex(md.digest()));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The baseline for the scrub: every blob read to its end on the same threads, nothing else. */
  private Void readAll(BlobStore store) throws Exception {
    var blobs = store.list("blobs/");
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      var futures = new ArrayList<Future<Long>>();
      for (BlobStore.Blob b : blobs) {
        futures.add(
            pool.submit(
                () -> {
                  try (InputStream in = store.open(b.key())) {
                    return in.transferTo(java.io.OutputStream.nullOutputStream());
                  }
                }));
      }
      for (var f : futures) {
        f.get();
      }
    }
    return null;
  }

  // ---- (c) SIGTERM to exit with an unpublished commit ----

  private Map<String, Object> sigterm(int runs, String launcher) throws Exception {
    var delta = new ArrayList<double[]>();
    var full = new ArrayList<double[]>();
    Path sources = Files.createDirectories(work.resolve("no-sources"));
    for (int run = -1; run < runs; run++) { // run -1 warms the launcher's AOT cache up, untimed
      for (String variant : run % 2 == 0 ? List.of("delta", "full") : List.of("full", "delta")) {
        String prefix = "sig-" + variant + "-" + (run + 1);
        Path dataDir = work.resolve(prefix);
        Path index = copyIndex(work.resolve("source/index"), dataDir.resolve("index"));
        long generation;
        try (var store = blobs(prefix);
            var writer = new Writer(index, store)) {
          if (variant.equals("delta")) {
            writer.mirror.snapshot(); // published: the commit before
          }
          writer.changeOnePercent(100 + run);
          generation = writer.index.lastCommit().orElseThrow().generation();
          writer.mirror.lease().release();
        }
        Path log = dataDir.resolve("serve.log");
        var builder = new ProcessBuilder(launcher, "serve").redirectError(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("ANCLA_"));
        builder.environment().putAll(env(prefix));
        builder
            .environment()
            .putAll(
                Map.of(
                    "ANCLA_DATA_DIR", dataDir.toString(),
                    "ANCLA_SOURCES", sources.toString(),
                    "ANCLA_HOST", "127.0.0.1",
                    "ANCLA_PORT", "0",
                    "ANCLA_LANGUAGE", "en",
                    "ANCLA_SNAPSHOT_DEBOUNCE_SECONDS", "3600"));
        Process p = builder.start();
        var reader =
            new java.io.BufferedReader(
                new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null && !line.startsWith("ancla serving on ")) {}
        if (line == null) {
          throw new IOException(
              "serve exited before serving; see " + log + ":\n" + Files.readString(log));
        }
        awaitReady(URI.create(line.substring("ancla serving on ".length()).strip() + "/readyz"), p);
        long t = System.nanoTime();
        p.destroy(); // SIGTERM
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException("serve did not exit within 180 s of SIGTERM");
        }
        double ms = (System.nanoTime() - t) / 1e6;
        Manifest newest;
        try (var store = blobs(prefix)) {
          newest = Manifest.load(store, Manifest.ids(store).getFirst());
        }
        if (newest.generation() != generation) {
          throw new IOException(
              "the final snapshot is generation "
                  + newest.generation()
                  + ", expected "
                  + generation
                  + "; see "
                  + log);
        }
        String stderr = Files.readString(log);
        long uploaded = lastLong(stderr, "uploaded \\d+ files, (\\d+) bytes");
        long snapshotMs = lastLong(stderr, "uploaded \\d+ files, \\d+ bytes in (\\d+) ms");
        long stoppedMs = lastLong(stderr, "stopped in (\\d+) ms");
        if (run >= 0) {
          (variant.equals("delta") ? delta : full)
              .add(new double[] {ms, snapshotMs, uploaded, stoppedMs});
          emit(
              Map.of(
                  "phase",
                  "sigterm-" + variant,
                  "run",
                  run,
                  "exit_code",
                  p.exitValue(),
                  "sigterm_to_exit_ms",
                  ms,
                  "final_snapshot_ms",
                  snapshotMs,
                  "uploaded_bytes",
                  uploaded,
                  "stopped_in_ms",
                  stoppedMs,
                  "manifest",
                  newest.id()));
        }
        deleteTree(dataDir);
      }
    }
    var out = new LinkedHashMap<String, Object>();
    for (var e : Map.of("delta", delta, "full", full).entrySet()) {
      out.put(e.getKey() + "_sigterm_to_exit_ms", median(e.getValue(), 0));
      out.put(e.getKey() + "_final_snapshot_ms", median(e.getValue(), 1));
      out.put(e.getKey() + "_uploaded_bytes", median(e.getValue(), 2));
      out.put(e.getKey() + "_stopped_in_ms", median(e.getValue(), 3));
    }
    return out;
  }

  private static void awaitReady(URI readyz, Process p) throws Exception {
    var http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline && p.isAlive()) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    throw new IOException(readyz + " never answered 200");
  }

  private static long lastLong(String text, String regex) {
    var m = Pattern.compile(regex).matcher(text);
    long value = -1;
    while (m.find()) {
      value = Long.parseLong(m.group(1));
    }
    return value;
  }

  // ---- the index side ----

  /** The index open for writing, with a mirror on a prefix, as the server holds them. */
  private final class Writer implements AutoCloseable {
    final IndexStore index;
    final Path indexDir;
    final Retention retention;
    SnapshotMirror mirror;

    Writer(Path indexDir, BlobStore store) throws IOException {
      this(indexDir, store, new Retention(1000, Duration.ofHours(1), clock));
    }

    Writer(Path indexDir, BlobStore store, Retention retention) throws IOException {
      this.index = IndexStore.openForWriting(indexDir, SyntheticIndex.analyzer());
      this.indexDir = indexDir;
      this.retention = retention;
      restart(store);
    }

    /**
     * A new mirror, lease and all, on {@code store}, as a restarted process builds them; the old
     * mirror is abandoned as a killed process leaves it (its lease is not released).
     */
    void restart(BlobStore store) throws IOException {
      var lease = new WriterLease(store, WriterLease.newHolderId(), Duration.ofMinutes(5), clock);
      lease.takeOver();
      mirror =
          new SnapshotMirror(store, index, indexDir, clock, threads, retention, "bench", lease);
    }

    /**
     * Rewrites 9 of the 842 source files (144 chunks, 1.07%) with new text, as a sync would;
     * commits.
     */
    int changeOnePercent(int round) throws IOException {
      var files = new ArrayList<Integer>();
      for (int j = 0; j < FILES_PER_PERCENT; j++) {
        files.add(Math.floorMod(round * FILES_PER_PERCENT + j, 841));
      }
      return changeFiles(round, files);
    }

    /**
     * Writes the given source files (16 chunks each) with text new to {@code round}, replacing
     * those already indexed and adding the others, as a sync would; commits.
     */
    int changeFiles(int round, List<Integer> files) throws IOException {
      var corpus = SyntheticCorpus.standard();
      int chunksChanged = 0;
      long now = System.currentTimeMillis();
      for (int file : files) {
        int first = file * SyntheticCorpus.CHUNKS_PER_FILE;
        var chunks = new ArrayList<ChunkRecord>();
        var content = new StringBuilder();
        for (int i = first; i < first + SyntheticCorpus.CHUNKS_PER_FILE; i++) {
          String text = corpus.docText(i) + " edit " + round;
          content.append(text).append('\n');
          chunks.add(
              new ChunkRecord(
                  i - first, text, "", 0, SyntheticIndex.sha256(text), corpus.docVector(i)));
        }
        String c = content.toString();
        index.write(
            new RegistryEntry(
                SyntheticIndex.SOURCE,
                SyntheticCorpus.fileOf(first),
                SyntheticCorpus.fileOf(first),
                dev.ancla.index.RegistryEntry.folderVersion(
                    c.getBytes(StandardCharsets.UTF_8).length, now),
                c.getBytes(StandardCharsets.UTF_8).length,
                Optional.empty(),
                Optional.empty(),
                SyntheticIndex.sha256(c),
                RegistryEntry.Status.OK,
                Optional.empty(),
                chunks.size(),
                "text/plain",
                "",
                false,
                0,
                0,
                now),
            chunks);
        chunksChanged += chunks.size();
      }
      var data = new HashMap<>(index.lastCommit().orElseThrow().raw());
      data.put("committed_at", Instant.now().toString());
      index.commit(data);
      return chunksChanged;
    }

    @Override
    public void close() throws IOException {
      try (index) {
        mirror.lease().close();
      }
    }
  }

  // ---- plumbing ----

  private SnapshotTarget.S3 target(String prefix) {
    return target(prefix, proxy.getUri());
  }

  private SnapshotTarget.S3 target(String prefix, URI endpoint) {
    return new SnapshotTarget.S3(
        BUCKET,
        prefix,
        Optional.of(endpoint),
        "us-east-1",
        true,
        Optional.of(
            new S3Credentials(proxy.getAccessKey(), proxy.getSecretKey(), Optional.empty())));
  }

  private BlobStore blobs(String prefix) {
    return BlobStores.open(target(prefix));
  }

  private BlobStore blobs(String prefix, URI endpoint) {
    return BlobStores.open(target(prefix, endpoint));
  }

  /** A plain client straight to S3Proxy, for what Ancla does not do (buckets, damage). */
  private S3Client s3Client() {
    return S3Client.builder()
        .endpointOverride(proxy.getUri())
        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                    proxy.getAccessKey(), proxy.getSecretKey())))
        .build();
  }

  private void createBucket() {
    try (S3Client s3 = s3Client()) {
      s3.createBucket(b -> b.bucket(BUCKET));
    }
  }

  private Map<String, String> env(String prefix) {
    return Map.of(
        "ANCLA_SNAPSHOT_URL",
        "s3://" + BUCKET + "/" + prefix,
        "AWS_ENDPOINT_URL_S3",
        proxy.getUri().toString(),
        "ANCLA_S3_PATH_STYLE",
        "true",
        "AWS_REGION",
        "us-east-1",
        "AWS_ACCESS_KEY_ID",
        proxy.getAccessKey(),
        "AWS_SECRET_ACCESS_KEY",
        proxy.getSecretKey());
  }

  @FunctionalInterface
  private interface Body {
    Object run() throws Exception;
  }

  /** Wall and process CPU time (all threads, S3Proxy's included) in ms. */
  private static double[] timed(Body body) throws Exception {
    long cpu = cpuNanos();
    long t = System.nanoTime();
    body.run();
    return new double[] {(System.nanoTime() - t) / 1e6, (cpuNanos() - cpu) / 1e6};
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double median(List<double[]> values, int i) {
    var sorted = values.stream().mapToDouble(v -> v[i]).sorted().toArray();
    int n = sorted.length;
    return n == 0
        ? Double.NaN
        : round(n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
  }

  private static List<Double> ratios(List<double[]> a, List<double[]> b) {
    var out = new ArrayList<Double>();
    for (int i = 0; i < a.size(); i++) {
      out.add(round(a.get(i)[0] / b.get(i)[0]));
    }
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static void emit(Map<String, ?> line) {
    System.out.println(BenchJson.write(line));
  }

  private static Path copyIndex(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("write.lock")) {
          Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return to;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
