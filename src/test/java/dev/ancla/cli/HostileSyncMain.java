package dev.ancla.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.embed.SpanishText;
import dev.ancla.ingest.parse.Fixtures;
import dev.ancla.sync.ProgressTracker;
import dev.ancla.sync.SyncReport;
import dev.ancla.testing.RandomCorpus;
import dev.ancla.testing.TestAncla;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak memory of a sync over a hostile corpus, with the production parts (forked parser, bundled
 * model), for docs/BENCHMARKS.md. {@code corpus DIR} writes the corpus (in its own run, so that
 * making it does not count); {@code sync DIR DATA} syncs it and prints this process's peak RSS
 * (VmHWM) and its parser processes'.
 */
public final class HostileSyncMain {
  private HostileSyncMain() {}

  public static void main(String[] args) throws Exception {
    Path docs = Path.of(args[1]);
    if (args[0].equals("corpus")) {
      corpus(docs);
      return;
    }
    Config config = TestAncla.config(TestAncla.env(Path.of(args[2]), docs));
    long start = System.nanoTime();
    try (Ancla ancla = Ancla.openForWriting(config, ProductionParts.forConfig(config))) {
      SyncReport report = ancla.sync().sync(new ProgressTracker(System::nanoTime));
      System.out.printf(
          "synced %d files (%d failed, %d skipped), %d chunks in %.0f s%n",
          report.added(),
          report.failed(),
          report.skipped(),
          report.chunksEmbedded(),
          (System.nanoTime() - start) / 1e9);
      System.out.println("peak rss MB: sync process " + peakMb(ProcessHandle.current().pid()));
      ProcessHandle.current()
          .children()
          .forEach(c -> System.out.println("peak rss MB: parser process " + peakMb(c.pid())));
    }
  }

  private static void corpus(Path docs) throws IOException {
    Path good = Files.createDirectories(docs.resolve("buenos"));
    Fixtures.pdf(good);
    Fixtures.docx(good);
    Fixtures.xlsx(good);
    Fixtures.pptx(good);
    Fixtures.html(good);
    RandomCorpus.write(good.resolve("informes"), 100, 7);
    Path bad = Files.createDirectories(docs.resolve("malos"));
    Fixtures.truncatedPdf(bad, 600);
    Fixtures.encryptedPdf(bad);
    Fixtures.zipBombDocx(bad, 200);
    Fixtures.randomBytes(bad, "no-es-un.pdf", 8192);
    Fixtures.largeText(bad, "enorme.txt", 50);
    try (BufferedWriter out = Files.newBufferedWriter(bad.resolve("palabra.txt"), UTF_8)) {
      String a = "a".repeat(1 << 20);
      for (int i = 0; i < 50; i++) out.write(a);
    }
    try (BufferedWriter out = Files.newBufferedWriter(bad.resolve("español.txt"), UTF_8)) {
      long written = 0;
      for (int i = 0; written < 50L << 20; i++) {
        String s = SpanishText.SENTENCES.get(i % SpanishText.SENTENCES.size()) + ' ';
        out.write(s);
        written += s.length();
      }
    }
  }

  private static long peakMb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
