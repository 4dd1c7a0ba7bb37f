package dev.ancla.source;

import dev.ancla.config.Config;
import dev.ancla.config.Config.SourceSpec;
import dev.ancla.source.s3.S3Source;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the configured sources: the one place that knows every kind. */
public final class Sources {
  private Sources() {}

  /** Every source of {@code config}, in its order; none is contacted yet. */
  public static List<Source> open(Config config) throws IOException {
    var sources = new ArrayList<Source>();
    try {
      for (SourceSpec spec : config.sources()) {
        sources.add(open(spec, config));
      }
    } catch (IOException | RuntimeException e) {
      for (Source opened : sources) {
        try {
          opened.close();
        } catch (IOException | RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    return List.copyOf(sources);
  }

  static Source open(SourceSpec spec, Config config) throws IOException {
    return switch (spec) {
      case SourceSpec.Folder folder ->
          new FolderSource(
              folder.id(),
              folder.root(),
              config.include(),
              config.exclude(),
              List.<Path>of(config.dataDir()));
      case SourceSpec.S3 s3 -> S3Source.open(s3);
      case SourceSpec.Drive drive -> drive(drive, config);
    };
  }

  /** The Google Drive source: built on branch wip-drive, which replaces this method. */
  private static Source drive(SourceSpec.Drive drive, Config config) throws SourceException {
    throw new SourceException(
        "ANCLA_SOURCES names "
            + drive.describe()
            + ", but Google Drive sources are not built in this version of Ancla; remove it from"
            + " ANCLA_SOURCES or use a version with Drive support");
  }
}
