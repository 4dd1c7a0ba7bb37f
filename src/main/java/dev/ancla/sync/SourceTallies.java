package dev.ancla.sync;

import dev.ancla.index.RegistryEntry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Per source, how many fetched items were indexed, skipped, failed or found byte-identical. */
final class SourceTallies {
  record Counts(int indexed, int skipped, int failed, int sameBytes) {}

  private record Counters(
      AtomicInteger indexed, AtomicInteger skipped, AtomicInteger failed, AtomicInteger same) {
    Counters() {
      this(new AtomicInteger(), new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
    }
  }

  private final ConcurrentHashMap<String, Counters> bySource = new ConcurrentHashMap<>();

  void done(String source, RegistryEntry.Status status) {
    Counters c = bySource.computeIfAbsent(source, _ -> new Counters());
    switch (status) {
      case OK -> c.indexed().incrementAndGet();
      case SKIPPED -> c.skipped().incrementAndGet();
      case FAILED -> c.failed().incrementAndGet();
    }
  }

  void sameBytes(String source) {
    bySource.computeIfAbsent(source, _ -> new Counters()).same().incrementAndGet();
  }

  Counts of(String source) {
    Counters c = bySource.get(source);
    return c == null
        ? new Counts(0, 0, 0, 0)
        : new Counts(c.indexed().get(), c.skipped().get(), c.failed().get(), c.same().get());
  }
}
