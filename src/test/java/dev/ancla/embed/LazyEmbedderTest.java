package dev.ancla.embed;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.testing.TestModel;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The model loads on first use; a fingerprint known ahead is answered without loading it. */
class LazyEmbedderTest {
  @Test
  void aKnownFingerprintIsAnsweredWithoutLoadingAndTheModelsOwnOnceLoaded() {
    var loads = new AtomicInteger();
    var lazy =
        new LazyEmbedder(
            () -> {
              loads.incrementAndGet();
              return TestModel.shared();
            },
            Optional.of(OnnxEmbedder.BUNDLED_FINGERPRINT));
    assertEquals(OnnxEmbedder.BUNDLED_FINGERPRINT, lazy.fingerprint());
    assertFalse(lazy.isLoaded());
    assertEquals(0, loads.get());

    assertEquals(384, lazy.embed("faro").length);
    assertEquals(1, loads.get());
    assertEquals(TestModel.shared().info().fingerprint(), lazy.fingerprint());
    assertEquals(OnnxEmbedder.BUNDLED_FINGERPRINT, lazy.fingerprint(), "the constant is right");
  }

  @Test
  void withoutAKnownFingerprintAskingForItLoadsTheModel() {
    var loads = new AtomicInteger();
    var lazy =
        new LazyEmbedder(
            () -> {
              loads.incrementAndGet();
              return TestModel.other();
            });
    assertEquals(TestModel.other().info().fingerprint(), lazy.fingerprint());
    assertTrue(lazy.isLoaded());
    assertEquals(1, loads.get());
  }
}
