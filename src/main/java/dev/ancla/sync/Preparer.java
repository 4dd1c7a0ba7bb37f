package dev.ancla.sync;

import dev.ancla.index.RegistryEntry;
import dev.ancla.ingest.chunk.Chunk;
import dev.ancla.ingest.chunk.Chunker;
import dev.ancla.ingest.parse.DocumentParser;
import dev.ancla.ingest.parse.ParseFailure;
import dev.ancla.ingest.parse.ParsedDocument;
import dev.ancla.source.Fetched;
import dev.ancla.source.SourceItem;
import dev.ancla.source.TooLargeException;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Fetches and hashes one item ({@link #fetch}), then parses and chunks it ({@link #prepare}); the
 * two run on different threads so downloads overlap parsing. An item's problems become a FAILED
 * entry; bytes equal to the indexed ones become the old entry, relisted, with nothing parsed.
 */
final class Preparer {
  private final DocumentParser parser;
  private final Supplier<Chunker> chunker;
  private final Clock clock;
  private final long maxBytes;

  Preparer(DocumentParser parser, Supplier<Chunker> chunker, Clock clock, long maxBytes) {
    this.parser = parser;
    this.chunker = chunker;
    this.clock = clock;
    this.maxBytes = maxBytes;
  }

  /** An item's content with its hash, or why it could not be fetched. */
  sealed interface Download {
    SyncPlan.Item item();

    long startNanos();
  }

  record Downloaded(SyncPlan.Item item, Fetched fetched, String hash, long startNanos)
      implements Download {}

  record NotDownloaded(SyncPlan.Item item, String reason, long startNanos) implements Download {}

  Download fetch(SyncPlan.Item item) {
    long start = System.nanoTime();
    Fetched fetched = null;
    try {
      fetched = item.source().fetch(item.item(), maxBytes);
      return new Downloaded(item, fetched, ContentHash.of(fetched.file()), start);
    } catch (IOException | RuntimeException e) {
      closeQuietly(fetched);
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      String kind = e instanceof TooLargeException ? "too_large: " : "unreadable: ";
      return new NotDownloaded(item, kind + message, start);
    }
  }

  /** Parses and chunks a download, then closes it (a temporary file is deleted). */
  PreparedDocument prepare(Download download) {
    SyncPlan.Item item = download.item();
    long start = download.startNanos();
    return switch (download) {
      case NotDownloaded failed ->
          withoutChunks(item, "", RegistryEntry.Status.FAILED, failed.reason(), start);
      case Downloaded d -> {
        try (Fetched fetched = d.fetched()) {
          yield prepare(item, fetched, d.hash(), start);
        } catch (IOException e) {
          // only closing can throw here: the document itself is prepared
          yield withoutChunks(
              item, d.hash(), RegistryEntry.Status.FAILED, "unreadable: " + e.getMessage(), start);
        }
      }
    };
  }

  private PreparedDocument prepare(SyncPlan.Item item, Fetched fetched, String hash, long start) {
    var previous = item.previous();
    if (previous.isPresent() && previous.get().contentHash().equals(hash)) {
      // same bytes under a new version: only the registry entry moves (and the path, if renamed)
      SourceItem i = item.item();
      RegistryEntry old = previous.get();
      RegistryEntry updated =
          old.asListed(i.path(), i.version(), i.size(), i.contentHint(), i.link());
      boolean moved = !old.path().equals(i.path()) || !old.link().equals(i.link());
      return PreparedDocument.sameBytes(new SyncPlan.Relisted(updated, moved));
    }
    ParsedDocument parsed;
    try {
      parsed = parser.parse(fetched.file(), item.item().path());
    } catch (ParseFailure e) {
      return e.kind() == ParseFailure.Kind.NOT_A_DOCUMENT
          ? withoutChunks(item, hash, RegistryEntry.Status.SKIPPED, e.reason(), start)
          : withoutChunks(item, hash, RegistryEntry.Status.FAILED, e.reason(), start);
    }
    List<Chunk> chunks = chunker.get().chunk(parsed);
    if (chunks.isEmpty()) {
      return withoutChunks(
          item, hash, RegistryEntry.Status.FAILED, "empty: the file has no text", start);
    }
    var hashes = new ArrayList<String>(chunks.size());
    for (Chunk chunk : chunks) {
      hashes.add(ContentHash.of(chunk.text()));
    }
    RegistryEntry ok =
        entry(item, hash, start)
            .indexed(chunks.size(), parsed.mediaType(), parsed.title(), parsed.truncated());
    return new PreparedDocument(ok, chunks, hashes);
  }

  /**
   * The item, failed for {@code reason} without being parsed. It is fetched and hashed (copying
   * bytes crashes nothing), so a new version with the same bytes, a touch, does not retry it.
   */
  PreparedDocument failedUnread(SyncPlan.Item item, String reason) {
    Download download = fetch(item);
    String hash = "";
    if (download instanceof Downloaded d) {
      hash = d.hash();
      closeQuietly(d.fetched());
    }
    return withoutChunks(item, hash, RegistryEntry.Status.FAILED, reason, download.startNanos());
  }

  private PreparedDocument withoutChunks(
      SyncPlan.Item item, String hash, RegistryEntry.Status status, String reason, long start) {
    RegistryEntry entry = entry(item, hash, start).withoutChunks(status, reason);
    return new PreparedDocument(entry, List.of(), List.of());
  }

  /** The item's identity, version and timing; status and contents are set by the caller. */
  private RegistryEntry entry(SyncPlan.Item item, String hash, long start) {
    SourceItem i = item.item();
    return new RegistryEntry(
        item.source().id(),
        i.id(),
        i.path(),
        i.version(),
        i.size(),
        i.contentHint(),
        i.link(),
        hash,
        RegistryEntry.Status.OK,
        java.util.Optional.empty(),
        0,
        i.mediaType().orElse(""),
        "",
        false,
        millisSince(start),
        0,
        clock.millis());
  }

  private static void closeQuietly(Fetched fetched) {
    if (fetched != null) {
      try {
        fetched.close();
      } catch (IOException | RuntimeException ignored) {
        // the fetch failed already; that failure is the one reported
      }
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
