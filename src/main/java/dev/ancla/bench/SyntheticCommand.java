package dev.ancla.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "synthetic",
    mixinStandardHelpOptions = true,
    description = {
      "Build an Ancla index at DIR/index from the Chroma baseline's synthetic corpus.",
      "Prints one JSON line: build time, bytes on disk by file type, segments."
    })
final class SyntheticCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--n",
      defaultValue = "13457",
      description = "Docs (chunks), default ${DEFAULT-VALUE}.")
  int n;

  @Option(names = "--seed", defaultValue = "42")
  int seed;

  @Option(
      names = "--out",
      required = true,
      description = "Data directory; the index goes to DIR/index.")
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

  /**
   * Bytes by Lucene file type (vec: raw floats, veq: quantized, vex: HNSW graph, fdt: stored
   * fields, tim/doc/pos: postings...), looking inside compound files, for where the bytes go.
   */
  static Map<String, Long> bytesByExtension(Path indexDir) throws java.io.IOException {
    var sizes = new TreeMap<String, Long>();
    try (var dir = FSDirectory.open(indexDir)) {
      for (SegmentCommitInfo segment : SegmentInfos.readLatestCommit(dir)) {
        SegmentInfo info = segment.info;
        if (info.getUseCompoundFile()) {
          try (var cfs = info.getCodec().compoundFormat().getCompoundReader(dir, info)) {
            for (String file : cfs.listAll()) {
              sizes.merge(extension(file), cfs.fileLength(file), Long::sum);
            }
          }
        }
        for (String file : segment.files()) {
          if (!file.endsWith(".cfs")) {
            sizes.merge(extension(file), dir.fileLength(file), Long::sum);
          }
        }
      }
    }
    return sizes;
  }

  private static String extension(String file) {
    int dot = file.lastIndexOf('.');
    return dot < 0 ? file : file.substring(dot + 1);
  }
}
