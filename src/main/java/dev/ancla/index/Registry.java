package dev.ancla.index;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The document registry: one entry per source item, with its version, content hash, chunk count and
 * status (ARCHITECTURE.md decision 1). Reads see the state as of the last refresh or commit.
 */
public interface Registry {
  /** Every registry entry of one source, by item id. */
  Map<String, RegistryEntry> registry(String source) throws IOException;

  /** The registry entry of one item of {@code source} shown at {@code path}, if any. */
  Optional<RegistryEntry> registryEntryAt(String source, String path) throws IOException;

  /** Registry entries matching {@code filter}, sorted by source and path. */
  List<RegistryEntry> registryEntries(Predicate<RegistryEntry> filter) throws IOException;

  /** Registry entries with {@code status}, at most {@code limit}, sorted by source and path. */
  List<RegistryEntry> registryEntries(RegistryEntry.Status status, int limit) throws IOException;
}
