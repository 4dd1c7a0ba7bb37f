package dev.ancla.sync;

import dev.ancla.index.RegistryEntry;
import dev.ancla.ingest.chunk.Chunk;
import java.util.List;
import java.util.Optional;

/**
 * An item after fetching, parsing and chunking, before embedding: chunks to embed, a failed entry
 * to record, or (bytes equal to the indexed ones) an entry to relist without any embedding.
 *
 * @param entry the registry entry to write (status OK with the chunk count, or FAILED)
 * @param chunks the chunks, empty for a failure
 * @param textHashes SHA-256 of each chunk's text, in chunk order
 * @param relisted present when the bytes are the indexed ones: nothing to parse or embed
 */
record PreparedDocument(
    RegistryEntry entry,
    List<Chunk> chunks,
    List<String> textHashes,
    Optional<SyncPlan.Relisted> relisted) {

  PreparedDocument(RegistryEntry entry, List<Chunk> chunks, List<String> textHashes) {
    this(entry, chunks, textHashes, Optional.empty());
  }

  static PreparedDocument sameBytes(SyncPlan.Relisted relisted) {
    return new PreparedDocument(relisted.updated(), List.of(), List.of(), Optional.of(relisted));
  }

  /** Nothing to embed: the file failed, was skipped, or has the indexed bytes. */
  boolean withoutChunks() {
    return relisted.isPresent() || entry.status() != RegistryEntry.Status.OK;
  }
}
