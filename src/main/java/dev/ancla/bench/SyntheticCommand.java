package dev.ancla.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "synthetic",
    mixinStandardHelpOptions = true,
    description = {
      "Build an Ancla index at DIR/index from the Chroma baseline's synthetic corpus.",
      "Prints one JSON line: build time, bytes on disk by file type, segments."
    })
final class SyntheticCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--n", defaultValue = "13457", description = "Docs (chunks), default ${DEFAULT-VALUE}.")
  int n;

  @Option(names = "--seed", defaultValue = "42")
  int seed;

  @Option(names = "--out", required = true, description = "Data directory; the index goes to DIR/index.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (n < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--n is " + n + "; expected at least 1, e.g. --n 13457");
    }
    Path indexDir = out.resolve("index");
    var built = SyntheticIndex.build(indexDir, n, new SyntheticCorpus(seed));
    var result = new LinkedHashMap<String, Object>();
    result.put("docs", built.docs());
    result.put("files", built.files());
    result.put("build_ms", built.millis());
    result.put("index_bytes", SyntheticIndex.bytesUnder(indexDir));
    result.put("commit_bytes", built.bytes());
    result.put("bytes_by_extension", bytesByExtension(indexDir));
    try (var dir = FSDirectory.open(indexDir);
        var reader = DirectoryReader.open(dir)) {
      result.put("segments", reader.leaves().size());
    }
    spec.commandLine().getOut().println(BenchJson.write(result));
    return 0;
  }

  /** Lucene's files grouped by extension (vec, veq, vex, fdt, tim, ...), for where the bytes go. */
  static Map<String, Long> bytesByExtension(Path indexDir) throws java.io.IOException {
    var sizes = new TreeMap<String, Long>();
    try (var files = Files.list(indexDir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? name.replaceAll("_\\w+$", "") : name.substring(dot + 1);
        sizes.merge(ext, Files.size(file), Long::sum);
      }
    }
    return sizes;
  }
}
