package dev.ancla.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.testing.TestAncla;
import dev.ancla.testing.TestModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production parts know the bundled model's fingerprint ahead, and only that one. */
class ProductionPartsTest {
  @TempDir Path dir;

  @Test
  void theBundledModelsFingerprintIsKnownAheadAndAModelDirectorysIsNot() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    var bundled =
        ProductionParts.forConfig(TestAncla.config(TestAncla.env(dir.resolve("data"), docs)));
    assertEquals(Optional.of(TestModel.shared().info().fingerprint()), bundled.knownFingerprint());

    Path model = Files.createDirectories(dir.resolve("model"));
    TestModel.writeBundledModelTo(model);
    var own =
        ProductionParts.forConfig(
            TestAncla.config(
                TestAncla.env(dir.resolve("data"), docs, "ANCLA_MODEL_DIR", model.toString())));
    assertEquals(Optional.empty(), own.knownFingerprint());
  }
}
