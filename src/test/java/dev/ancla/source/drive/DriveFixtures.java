package dev.ancla.source.drive;

import dev.ancla.bench.drive.FakeDrive;
import dev.ancla.config.Config.DriveSpec;
import dev.ancla.source.SourceException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Drive sources on a {@link FakeDrive}, with the real client libraries. */
final class DriveFixtures {
  private DriveFixtures() {}

  /** Waits are recorded in {@code sleeps}, not slept: retry tests stay fast and exact. */
  static DriveSource source(
      FakeDrive drive, String rootId, boolean sharedDrive, List<Duration> sleeps)
      throws SourceException {
    return source(drive, drive.serviceAccountJson(), rootId, sharedDrive, sleeps);
  }

  static DriveSource source(FakeDrive drive, String rootId) throws SourceException {
    return source(drive, rootId, false, Collections.synchronizedList(new java.util.ArrayList<>()));
  }

  static DriveSource source(
      FakeDrive drive, String keyJson, String rootId, boolean sharedDrive, List<Duration> sleeps)
      throws SourceException {
    var spec = new DriveSpec(keyJson, FakeDrive.EMAIL, Optional.empty(), drive.url(), 1000);
    return new DriveSource(
        "drive",
        rootId,
        sharedDrive,
        DriveConnection.open(spec),
        Duration.ofMillis(10),
        sleeps::add);
  }
}
