package dev.ancla.source;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where documents come from: a folder, an S3 bucket, a Google Drive folder. The contract is checked
 * by {@code SourceContract} on every implementation.
 *
 * <p>Items have a stable {@link SourceItem#id() id}; the sync keys its registry by (source id, item
 * id), so a renamed item keeps its vectors.
 */
public interface Source extends Closeable {

  /** Unique among the configured sources; stored with every document. */
  String id();

  /** "folder", "gdrive", "s3", "memory". */
  String kind();

  /**
   * For logs and status, e.g. the folder path, {@code gdrive:FOLDER_ID}, {@code
   * s3://bucket/prefix}. Never a secret.
   */
  String describe();

  /**
   * Checks that the source can be read (at start, and before a sync). Throws a {@link
   * SourceException} whose message names the source and says the fix (which folder to share with
   * which e-mail, which variable holds a bad key).
   */
  void check() throws IOException;

  /**
   * With an empty cursor, or always for a source without a change feed: a complete listing ({@link
   * Listing.Full}) that the planner diffs against the registry; it may carry a cursor to store
   * (Drive: the start page token taken BEFORE listing). With a cursor from an earlier listing, a
   * source with a change feed returns {@link Listing.Changes} since it. A cursor the backend
   * rejects is a {@link CursorExpiredException}: the planner logs it and asks for a full listing.
   *
   * <p>A listing is only returned when complete: any error throws (never a partial listing). A full
   * listing holds each item once, sorted by id.
   */
  Listing list(Optional<String> cursor) throws IOException;

  /**
   * {@link #list(Optional)} for a source that keeps state beside its cursor: {@code state} is what
   * the listing that gave {@code cursor} returned as {@link Listing#state()}, committed with it
   * (the sync keeps it in the index, not in the commit data, so a large state, Drive's folder map,
   * is not rewritten by every commit). A state missing or not matching the cursor is a {@link
   * CursorExpiredException}. The default ignores it.
   */
  default Listing list(Optional<String> cursor, Optional<String> state) throws IOException {
    return list(cursor);
  }

  /**
   * The item's content in a local file, at most {@code maxBytes} (else a {@link SourceException}
   * saying the size and ANCLA_MAX_FILE_MB). For remote sources a temporary file deleted on close();
   * for a folder the file itself (close() deletes nothing).
   */
  Fetched fetch(SourceItem item, long maxBytes) throws IOException;

  /**
   * What the last complete listing left out and why, one reason each (Drive: a shortcut loop, a
   * dangling shortcut, a folder reached twice). Never fatal; shown in the source's status until the
   * next complete listing. Empty for sources that skip nothing while listing.
   */
  default List<String> listingSkips() {
    return List.of();
  }

  /** Releases clients and threads; the default holds none. */
  @Override
  default void close() throws IOException {}
}
