package dev.ancla.embed;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps native resources (an ONNX Runtime session, a Hugging Face tokenizer) alive while calls use
 * them. Freeing them under a running call is a use after free in native code: the JVM dies with
 * SIGSEGV, as it did when {@code serve} stopped during a reindex.
 *
 * <p>Contract: {@link #call} runs its body only while the resource is open, and fails with {@link
 * IllegalStateException} once {@link #close} has begun; {@link #close} waits for the calls in
 * flight, then releases once. When they do not finish within the timeout it does not release at
 * all: the process is ending, and leaking is safe where freeing is not.
 */
final class NativeGuard {
  private static final Logger log = LoggerFactory.getLogger(NativeGuard.class);

  private final String what;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile boolean closing;
  private boolean released; // guarded by lock's write lock

  NativeGuard(String what) {
    this.what = what;
  }

  <T> T call(Supplier<T> body) {
    if (closing) throw closed();
    lock.readLock().lock();
    try {
      if (closing) throw closed();
      return body.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Releases once no call is in flight; returns false when calls outlived {@code timeout}. */
  boolean close(Duration timeout, Runnable release) {
    closing = true;
    boolean locked;
    try {
      locked = lock.writeLock().tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      locked = false;
    }
    if (!locked) {
      log.warn(
          "{}: calls still running after {} ms; its native memory is left to the OS",
          what,
          timeout.toMillis());
      return false;
    }
    try {
      if (!released) {
        released = true;
        release.run();
      }
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private IllegalStateException closed() {
    return new IllegalStateException(what + " is closed");
  }
}
