package dev.ancla.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs one task per item on a small bounded pool; the first failure cancels the rest. */
final class Transfers {
  private Transfers() {}

  @FunctionalInterface
  interface Task<I, O> {
    O run(I item) throws IOException;
  }

  static <I, O> List<O> each(List<I> items, int threads, Task<I, O> task) throws IOException {
    try (ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Math.min(threads, items.size())))) {
      var futures = new ArrayList<Future<O>>();
      for (I item : items) {
        futures.add(
            pool.submit(
                () -> {
                  try {
                    return task.run(item);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }));
      }
      var results = new ArrayList<O>();
      try {
        for (Future<O> f : futures) {
          results.add(f.get());
        }
      } catch (ExecutionException e) {
        futures.forEach(f -> f.cancel(true));
        switch (e.getCause()) {
          case UncheckedIOException u -> throw u.getCause();
          case RuntimeException r -> throw r;
          case Error err -> throw err;
          default -> throw new IOException(e.getCause());
        }
      } catch (InterruptedException e) {
        futures.forEach(f -> f.cancel(true));
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("transfers interrupted");
      }
      return results;
    }
  }
}
