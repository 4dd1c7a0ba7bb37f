package dev.ancla.embed;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NativeGuardTest {

  @Test
  void closeWaitsForTheCallInFlightThenReleasesOnce() throws Exception {
    var guard = new NativeGuard("test resource");
    var inCall = new CountDownLatch(1);
    var finish = new CountDownLatch(1);
    var releasedDuringCall = new AtomicBoolean();
    var released = new AtomicInteger();
    Thread caller =
        Thread.ofPlatform()
            .start(
                () ->
                    guard.call(
                        () -> {
                          inCall.countDown();
                          try {
                            finish.await();
                          } catch (InterruptedException e) {
                            throw new AssertionError(e);
                          }
                          releasedDuringCall.set(released.get() > 0);
                          return null;
                        }));
    inCall.await();
    Thread closer =
        Thread.ofPlatform()
            .start(() -> guard.close(Duration.ofSeconds(30), released::incrementAndGet));
    Thread.sleep(100);
    assertEquals(0, released.get(), "not released under a running call");
    assertThrows(
        IllegalStateException.class, () -> guard.call(() -> 1), "no new call once closing");
    finish.countDown();
    caller.join(10_000);
    closer.join(10_000);
    assertFalse(releasedDuringCall.get());
    assertEquals(1, released.get());
    assertTrue(guard.close(Duration.ofSeconds(1), released::incrementAndGet));
    assertEquals(1, released.get(), "released once");
  }

  @Test
  void aCallThatOutlivesTheTimeoutLeavesTheResourceUnreleased() throws Exception {
    var guard = new NativeGuard("test resource");
    var inCall = new CountDownLatch(1);
    var finish = new CountDownLatch(1);
    Thread caller =
        Thread.ofPlatform()
            .start(
                () ->
                    guard.call(
                        () -> {
                          inCall.countDown();
                          try {
                            finish.await(10, TimeUnit.SECONDS);
                          } catch (InterruptedException e) {
                            throw new AssertionError(e);
                          }
                          return null;
                        }));
    inCall.await();
    var released = new AtomicInteger();
    assertFalse(guard.close(Duration.ofMillis(100), released::incrementAndGet));
    assertEquals(0, released.get());
    finish.countDown();
    caller.join(10_000);
  }
}
