package dev.ancla;

import java.util.Locale;

/** Which way an index came to be open, for the boot line (ARCHITECTURE.md decision 7). */
public sealed interface BootOutcome {

  /** A complete index was on disk and opened. */
  record Opened(long documents, long chunks, long millis) implements BootOutcome {}

  /** An indexing had stopped half-way; its last checkpoint is open and indexing resumes. */
  record Resuming(long documents, long chunks, long millis) implements BootOutcome {}

  /** There was no index; an empty one was created and indexing starts. */
  record Created(String where, long millis) implements BootOutcome {}

  /**
   * There was no valid index; a snapshot was downloaded, verified and opened. {@code why} says what
   * was there: no index, or an invalid one and where it was moved.
   */
  record Restored(String manifest, long bytes, long millis, String why) implements BootOutcome {}

  default String describe() {
    return switch (this) {
      case Opened(var docs, var chunks, var ms) ->
          "opened index: "
              + count(docs)
              + " documents, "
              + count(chunks)
              + " chunks in "
              + ms
              + " ms";
      case Resuming(var docs, var chunks, var ms) ->
          "resuming interrupted indexing: "
              + count(docs)
              + " documents, "
              + count(chunks)
              + " chunks already indexed (opened in "
              + ms
              + " ms)";
      case Restored(var manifest, var bytes, var ms, var why) ->
          why
              + ": restored snapshot "
              + manifest
              + " ("
              + String.format(Locale.ROOT, "%.1f", bytes / 1e6)
              + " MB) in "
              + ms
              + " ms";
      case Created(var where, var ms) ->
          "no index at " + where + ": created an empty one in " + ms + " ms; indexing the sources";
    };
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
