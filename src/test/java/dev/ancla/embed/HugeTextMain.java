package dev.ancla.embed;

import dev.ancla.ingest.chunk.Chunker;
import dev.ancla.ingest.parse.ParseLimits;
import dev.ancla.ingest.parse.ParsedDocument;
import dev.ancla.ingest.parse.TikaDocumentParser;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child JVM for {@link HugeTextTest}: hands huge texts to the real tokenizer and model, directly
 * and as files through the real parser and chunker, then prints one line per step and its peak RSS.
 * Arguments: megabytes of text, a scratch folder.
 */
public final class HugeTextMain {
  private HugeTextMain() {}

  public static void main(String[] args) throws Exception {
    int wordMegabytes = Integer.parseInt(args[0]);
    int spanishMegabytes = Integer.parseInt(args[1]);
    Path dir = Path.of(args[2]);
    try (var embedder = OnnxEmbedder.bundled()) {
      TokenCounter tokens = embedder.tokens();
      String word = "a".repeat(wordMegabytes << 20);
      say("word tokens " + tokens.count(word));
      say("word vector " + embedder.embed(word).length);
      Files.writeString(dir.resolve("palabra.txt"), word);
      word = null;
      String spanish = spanish(spanishMegabytes << 20);
      say("spanish tokens " + tokens.count(spanish));
      say("spanish vector " + embedder.embed(spanish).length);
      Files.writeString(dir.resolve("español.txt"), spanish);
      spanish = null;
      var parser =
          new TikaDocumentParser(
              new ParseLimits(64L << 20, 50_000, java.time.Duration.ofSeconds(60)));
      var chunker = new Chunker(tokens, 240, 30);
      for (String name : new String[] {"palabra.txt", "español.txt"}) {
        ParsedDocument parsed = parser.parse(dir.resolve(name), name);
        long chars = parsed.blocks().stream().mapToLong(b -> b.text().length()).sum();
        say(
            name
                + " chars "
                + chars
                + " truncated "
                + parsed.truncated()
                + " chunks "
                + chunker.chunk(parsed).size());
      }
    }
    say("peak rss kb " + peakRssKb());
  }

  private static final long START = System.nanoTime();

  private static void say(String line) {
    System.out.println(line);
    System.err.printf("%.1f s %s%n", (System.nanoTime() - START) / 1e9, line);
  }

  /** Spanish prose of about {@code chars} characters. */
  private static String spanish(int chars) {
    var text = new StringBuilder(chars + 200);
    for (int i = 0; text.length() < chars; i++) {
      text.append(SpanishText.SENTENCES.get(i % SpanishText.SENTENCES.size())).append(' ');
    }
    return text.toString();
  }

  /** VmHWM: the most resident memory this process has had. */
  static long peakRssKb() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
