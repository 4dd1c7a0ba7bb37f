package dev.ancla.index;

import dev.ancla.query.Filter;
import dev.ancla.query.RetrievalSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * What one search asks of a {@link ChunkSearch.View}: the word list, the n-gram list and the vector
 * list, each only when wanted. The query vector is a supplier because computing it (a model run) is
 * part of the vector leg and runs beside the other legs.
 *
 * @param vector the query vector's source; empty for no vector list
 */
public record Legs(
    String query,
    Filter filter,
    int depth,
    RetrievalSettings settings,
    boolean words,
    boolean ngrams,
    Optional<Supplier<float[]>> vector) {

  /**
   * The default way to run {@code legs} on {@code view}, for an in-process index: the vector leg
   * (the query's model run, then the graph search) on a thread of its own while this thread runs
   * the lexical lists one after the other, which take well under a millisecond each, less than a
   * thread would cost. Lists in the order words, n-grams, vectors.
   */
  public static List<List<Ranked>> vectorBeside(ChunkSearch.View view, Legs legs)
      throws IOException {
    Optional<CompletableFuture<List<Ranked>>> vectors =
        legs.vector().map(v -> async(() -> view.vectors(v.get(), legs.filter(), legs.depth())));
    var lists = new ArrayList<List<Ranked>>(3);
    try {
      if (legs.words()) {
        lists.add(view.words(legs.query(), legs.filter(), legs.depth(), legs.settings()));
      }
      if (legs.ngrams()) {
        lists.add(view.ngrams(legs.query(), legs.filter(), legs.depth(), legs.settings()));
      }
    } finally {
      // the leg reads the view, which is released when the search returns; its failure, if any,
      // is reported below, after the lexical side's
      vectors.ifPresent(Legs::await);
    }
    if (vectors.isPresent()) {
      lists.add(join(vectors.get()));
    }
    return lists;
  }

  /** One leg's work, which may fail with an IOException. */
  @FunctionalInterface
  public interface Leg<T> {
    T run() throws IOException;
  }

  /** Starts {@code leg} on a thread of its own. */
  public static <T> CompletableFuture<T> async(Leg<T> leg) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return leg.run();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        // a platform thread: ONNX Runtime runs native code on the thread's own stack, and
        // creating one costs tens of microseconds
        runnable -> Thread.ofPlatform().daemon(true).name("ancla-search-leg").start(runnable));
  }

  /** Waits for {@code leg} to end, failed or not, without throwing. */
  public static void await(CompletableFuture<?> leg) {
    leg.exceptionally(failure -> null).join();
  }

  /** The leg's result, with its own exception if it failed. */
  public static <T> T join(CompletableFuture<T> leg) throws IOException {
    try {
      return leg.join();
    } catch (CompletionException e) {
      switch (e.getCause()) {
        case UncheckedIOException io -> throw io.getCause();
        case RuntimeException r -> throw r;
        case Error err -> throw err;
        case null, default -> throw new IOException("a search leg failed", e.getCause());
      }
    }
  }
}
