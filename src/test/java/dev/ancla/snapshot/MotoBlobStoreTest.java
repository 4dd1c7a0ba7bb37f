package dev.ancla.snapshot;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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

  @Override
  BlobStore store() {
    return moto.store("ancla-moto-" + buckets.incrementAndGet(), "team/ancla");
  }
}
