package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@link BlobStore} contract against a second, independent S3 implementation (moto). */
class MotoBlobStoreTest extends BlobStoreContract {
  private static MotoServer moto;
  private static final AtomicInteger buckets = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    moto = MotoServer.startOrSkip();
  }

  @AfterAll
  static void stop() {
    if (moto != null) {
      moto.close();
    }
  }

  @Test
  void conditionalWritesAreHonoured() throws Exception {
    try (var store = moto.store("ancla-moto-probe", "p")) {
      assertEquals(new ConditionalWrites(true, true), ConditionalWrites.probe(store));
    }
  }

  @Override
  BlobStore store() {
    return moto.store("ancla-moto-" + buckets.incrementAndGet(), "team/ancla");
  }
}
