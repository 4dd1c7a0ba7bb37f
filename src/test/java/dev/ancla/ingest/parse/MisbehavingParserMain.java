package dev.ancla.ingest.parse;

/**
 * A parser process for {@link ForkedDocumentParserTest}: a file named "spin..." keeps a CPU busy
 * forever (as a stuck Tika parse does), "die..." ends the process as a native crash would (exit
 * 134), anything else is parsed for real.
 */
public final class MisbehavingParserMain {
  private MisbehavingParserMain() {}

  private static volatile boolean spinning = true;
  private static volatile double sink;

  private static void spin() {
    while (spinning) sink = Math.sqrt(sink + 1);
  }

  public static void main(String[] args) throws Exception {
    var real = new TikaDocumentParser(ParserProcess.limits(args));
    ParserProcess.serve(
        (file, name) -> {
          if (name.startsWith("spin")) spin();
          if (name.startsWith("die")) Runtime.getRuntime().halt(134);
          return real.parse(file, name);
        });
  }
}
