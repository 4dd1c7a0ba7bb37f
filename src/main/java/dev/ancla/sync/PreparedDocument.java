package dev.ancla.sync;

import dev.ancla.index.RegistryEntry;
import dev.ancla.ingest.chunk.Chunk;
import java.util.List;

/**
 * A file after parsing and chunking, before embedding: either chunks to embed, or a failed registry
 * entry to record.
 *
 * @param entry the registry entry to write (status OK with the chunk count, or FAILED)
 * @param chunks the chunks, empty for a failure
 * @param textHashes SHA-256 of each chunk's text, in chunk order
 */
record PreparedDocument(RegistryEntry entry, List<Chunk> chunks, List<String> textHashes) {
  /** Nothing to embed: the file failed or was skipped. */
  boolean withoutChunks() {
    return entry.status() != RegistryEntry.Status.OK;
  }
}
