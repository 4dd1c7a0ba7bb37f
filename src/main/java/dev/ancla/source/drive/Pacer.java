package dev.ancla.source.drive;

import java.util.concurrent.TimeUnit;

/**
 * A token bucket: at most {@code perSecond} requests a second on average, with bursts of up to
 * {@code perSecond}. Shared by every thread of one Drive connection, so parallel downloads are
 * paced together.
 */
final class Pacer {
  private final double perNano;
  private final double capacity;
  private double tokens;
  private long last;

  Pacer(int perSecond) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("requests per second must be at least 1: " + perSecond);
    }
    this.perNano = perSecond / 1e9;
    this.capacity = perSecond;
    this.tokens = perSecond;
    this.last = System.nanoTime();
  }

  /** Waits until a request may go. */
  void acquire() throws InterruptedException {
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      tokens = Math.min(capacity, tokens + (now - last) * perNano);
      last = now;
      tokens -= 1; // may go negative: later callers wait for the debt to be paid
      wait = tokens >= 0 ? 0 : (long) (-tokens / perNano);
    }
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
