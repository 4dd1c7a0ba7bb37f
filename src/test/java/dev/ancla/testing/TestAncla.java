package dev.ancla.testing;

import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.config.ConfigLoader;
import dev.ancla.ingest.parse.ParseLimits;
import dev.ancla.ingest.parse.TikaDocumentParser;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Builds configs and production parts for tests: real parser, real (shared) model. */
public final class TestAncla {

  /**
   * The generation of the newest commit in an index folder, read from its file names alone (a
   * process may be writing it), or -1 when there is none yet.
   */
  public static long commitGeneration(Path index) throws java.io.IOException {
    if (!java.nio.file.Files.isDirectory(index)) {
      return -1;
    }
    try (var files = java.nio.file.Files.list(index)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("segments_"))
          .mapToLong(n -> Long.parseLong(n.substring("segments_".length()), Character.MAX_RADIX))
          .max()
          .orElse(-1);
    }
  }

  private TestAncla() {}

  public static Map<String, String> env(Path dataDir, Path source, String... pairs) {
    var env = new HashMap<String, String>();
    env.put("ANCLA_DATA_DIR", dataDir.toString());
    env.put("ANCLA_SOURCES", source.toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  public static Config config(Map<String, String> env) {
    return ConfigLoader.load(env, Runtime.getRuntime().availableProcessors()).config();
  }

  public static Ancla.Parts parts(Config config) {
    var limits = config.limits();
    return new Ancla.Parts(
        TestModel::shared,
        () ->
            new TikaDocumentParser(
                new ParseLimits(limits.maxFileBytes(), limits.maxChars(), limits.timeout())),
        Clock.systemUTC());
  }

  public static Ancla open(Path dataDir, Path source, String... pairs) throws java.io.IOException {
    Config config = config(env(dataDir, source, pairs));
    return Ancla.openForWriting(config, parts(config));
  }

  public static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }
}
