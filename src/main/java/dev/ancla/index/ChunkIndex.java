package dev.ancla.index;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where sync writes chunks and registry entries, and what status reads (ARCHITECTURE.md decision
 * 17). The local Lucene index ({@link IndexStore}) implements it; so can a remote engine.
 *
 * <p>Contract: {@link #write} replaces everything stored for a file (its registry entry and all its
 * chunks) at once: readers see the old file or the new one, never a mix. Nothing written is durable
 * until {@link #commit}, which stores the given metadata (model fingerprint, source cursors) with
 * the data in the same step, so a crash leaves the last commit's data and metadata together. Writes
 * and commits exclude each other; the counts a commit records are exact. Reads (registry, counts,
 * vectors) see what the last {@link #refresh} or commit made visible.
 */
public interface ChunkIndex extends Registry {
  /**
   * Documents (files indexed without error), their chunks, failed files and skipped files (not
   * documents), as searches see them.
   */
  record Counts(long documents, long chunks, long failed, long skipped) {}

  /** A stored chunk's text and where it sits in its file, for display. */
  record ChunkText(int ordinal, String text, String headingPath, int page) {}

  /** The newest commit's data, or empty for an index that was never committed. */
  Optional<CommitInfo> lastCommit() throws IOException;

  /** Replaces everything stored for {@code entry}'s file with the entry and its chunks. */
  void write(RegistryEntry entry, List<ChunkRecord> chunks) throws IOException;

  /** Rewrites only the registry entry, e.g. a new modification time with the same bytes. */
  void updateRegistry(RegistryEntry entry) throws IOException;

  /** Removes a file's registry entry and its chunks. */
  void delete(String docKey) throws IOException;

  /**
   * Writes {@code moved} (an entry with a new display path or link, same content) with its item's
   * chunks as they are stored, texts and vectors kept. Returns false, writing nothing, when the
   * chunks are not all there (the caller then indexes the item anew).
   */
  boolean relocate(RegistryEntry moved) throws IOException;

  /**
   * Makes everything written so far durable together with {@code userData}, plus exact counts and
   * the schema version. Returns what was committed.
   */
  CommitInfo commit(Map<String, String> userData) throws IOException;

  /**
   * Keeps {@code value} under {@code key} as a source's state beside its cursor (Drive's folder
   * map): never seen by search, counts or the registry. Held until the next {@link #commit}, which
   * stores it in the same step as the data and commit data: a crash before that commit loses the
   * state together with the writes it describes, never one without the other. {@link #state} sees
   * it at once in this process. A rebuild keeps every state.
   */
  void putState(String key, String value) throws IOException;

  /** The value last put under {@code key} by this process, else the committed one, else empty. */
  Optional<String> state(String key) throws IOException;

  /** Makes recent writes visible to reads (not durable: see {@link #commit}). */
  void refresh() throws IOException;

  Counts counts() throws IOException;

  /** Bytes the index takes where it is stored. */
  long sizeOnDisk() throws IOException;

  /** A file's chunks as stored, at most {@code limit}, by ordinal. */
  List<ChunkText> chunkTexts(String docKey, int limit) throws IOException;

  /**
   * Pins the index as reads see it now, for vector reuse during a sync (ARCHITECTURE.md decision
   * 3): a vector stored now stays findable through the result until it is closed, even if its file
   * is deleted meanwhile; vectors written later are found too.
   */
  StoredVectorLookup pinVectors() throws IOException;

  /** Vectors already stored, by the SHA-256 of the chunk text they were computed from. */
  interface StoredVectorLookup extends Closeable {
    Optional<float[]> byTextHash(String textHash) throws IOException;
  }

  /**
   * Calls {@code listener} after each commit, on the committing thread (so it must return at once).
   */
  void onCommit(Consumer<CommitInfo> listener);
}
