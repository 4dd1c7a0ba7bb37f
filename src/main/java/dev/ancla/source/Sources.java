package dev.ancla.source;

import dev.ancla.config.Config;
import dev.ancla.config.Config.SourceSpec;
import dev.ancla.source.drive.DriveSource;
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

  /** A Drive folder or shared drive, read with the key of {@code ANCLA_DRIVE_CREDENTIALS}. */
  private static Source drive(SourceSpec.Drive drive, Config config) throws SourceException {
    var access =
        config
            .drive()
            .orElseThrow(
                () ->
                    new SourceException(
                        "ANCLA_SOURCES names "
                            + drive.describe()
                            + " but ANCLA_DRIVE_CREDENTIALS is not set; set it to a"
                            + " service-account key (see README, Google Drive)"));
    return DriveSource.open(drive.id(), drive.driveId(), drive.sharedDrive(), access);
  }
}
