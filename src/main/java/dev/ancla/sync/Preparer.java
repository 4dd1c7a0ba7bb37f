package dev.ancla.sync;

import dev.ancla.index.RegistryEntry;
import dev.ancla.ingest.chunk.Chunk;
import dev.ancla.ingest.chunk.Chunker;
import dev.ancla.ingest.parse.DocumentParser;
import dev.ancla.ingest.parse.ParseFailure;
import dev.ancla.ingest.parse.ParsedDocument;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Reads, hashes, parses and chunks one file; a file's problems become a FAILED entry. */
final class Preparer {
  private final DocumentParser parser;
  private final Supplier<Chunker> chunker;
  private final Clock clock;

  Preparer(DocumentParser parser, Supplier<Chunker> chunker, Clock clock) {
    this.parser = parser;
    this.chunker = chunker;
    this.clock = clock;
  }

  PreparedDocument prepare(SyncPlan.Item item) {
    long start = System.nanoTime();
    var entry = item.entry();
    String hash = item.contentHash().orElse("");
    Path file;
    try {
      file = item.source().localFile(entry);
      if (hash.isEmpty()) {
        hash = ContentHash.of(file);
      }
    } catch (IOException e) {
      return failed(item, hash, "unreadable: " + e.getMessage(), start);
    }
    ParsedDocument parsed;
    try {
      parsed = parser.parse(file, entry.path());
    } catch (ParseFailure e) {
      return e.kind() == ParseFailure.Kind.NOT_A_DOCUMENT
          ? withoutChunks(item, hash, RegistryEntry.Status.SKIPPED, e.reason(), start)
          : failed(item, hash, e.reason(), start);
    }
    List<Chunk> chunks = chunker.get().chunk(parsed);
    if (chunks.isEmpty()) {
      return failed(item, hash, "empty: the file has no text", start);
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

  /** The file, failed for {@code reason} without being parsed (it is only hashed). */
  PreparedDocument failedUnread(SyncPlan.Item item, String reason) {
    long start = System.nanoTime();
    String hash = item.contentHash().orElse("");
    try {
      if (hash.isEmpty()) hash = ContentHash.of(item.source().localFile(item.entry()));
    } catch (IOException e) {
      // the reason stands; an empty hash only means a touch of the file retries it
    }
    return failed(item, hash, reason, start);
  }

  private PreparedDocument failed(SyncPlan.Item item, String hash, String reason, long start) {
    return withoutChunks(item, hash, RegistryEntry.Status.FAILED, reason, start);
  }

  private PreparedDocument withoutChunks(
      SyncPlan.Item item, String hash, RegistryEntry.Status status, String reason, long start) {
    RegistryEntry entry = entry(item, hash, start).withoutChunks(status, reason);
    return new PreparedDocument(entry, List.of(), List.of());
  }

  /** The file's identity, version and timing; status and contents are set by the caller. */
  private RegistryEntry entry(SyncPlan.Item item, String hash, long start) {
    var entry = item.entry();
    return new RegistryEntry(
        item.source().id(),
        entry.path(),
        entry.size(),
        entry.modifiedMillis(),
        hash,
        RegistryEntry.Status.OK,
        Optional.empty(),
        0,
        "",
        "",
        false,
        millisSince(start),
        0,
        clock.millis());
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
