package dev.ancla.sync;

import dev.ancla.index.RegistryEntry;
import dev.ancla.source.LegacySource;
import dev.ancla.source.SourceEntry;
import java.util.List;
import java.util.Optional;

/**
 * What a sync will do: the listing compared with the registry.
 *
 * @param added files the index has never seen
 * @param changed files whose bytes differ from the indexed version
 * @param deleted indexed files no source lists any more
 * @param touched files with a new size or time but the same bytes: only their registry entry moves
 * @param unchanged count of files with the same version as indexed ({@code touched} included)
 */
public record SyncPlan(
    List<Item> added,
    List<Item> changed,
    List<RegistryEntry> deleted,
    List<Touched> touched,
    int unchanged) {

  public SyncPlan {
    added = List.copyOf(added);
    changed = List.copyOf(changed);
    deleted = List.copyOf(deleted);
    touched = List.copyOf(touched);
  }

  /** A file to parse, chunk and embed; {@code contentHash} is known when planning computed it. */
  public record Item(
      LegacySource source,
      SourceEntry entry,
      Optional<RegistryEntry> previous,
      Optional<String> contentHash) {}

  /** A registry entry to move to a new version without re-indexing. */
  public record Touched(RegistryEntry previous, SourceEntry entry) {}

  public int toIndex() {
    return added.size() + changed.size();
  }

  public boolean isEmpty() {
    return added.isEmpty() && changed.isEmpty() && deleted.isEmpty() && touched.isEmpty();
  }
}
