package dev.ancla.sync;

import dev.ancla.index.IndexStore;
import dev.ancla.index.RegistryEntry;
import dev.ancla.source.LegacySource;
import dev.ancla.source.SourceEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compares each source's listing with the registry. Size and modification time are the cheap
 * version; when they differ the content hash decides, so a touched file costs a read, not a
 * re-embedding. A failed file is retried only when it changes.
 */
public final class SyncPlanner {
  private final IndexStore store;

  public SyncPlanner(IndexStore store) {
    this.store = store;
  }

  /** Lists every source; an unreadable source fails the plan rather than deleting its files. */
  public SyncPlan plan(List<LegacySource> sources) throws IOException {
    var added = new ArrayList<SyncPlan.Item>();
    var changed = new ArrayList<SyncPlan.Item>();
    var deleted = new ArrayList<RegistryEntry>();
    var touched = new ArrayList<SyncPlan.Touched>();
    int unchanged = 0;
    Set<String> sourceIds = new HashSet<>();
    for (LegacySource source : sources) {
      sourceIds.add(source.id());
      List<SourceEntry> listing = source.list();
      Map<String, RegistryEntry> registry = new HashMap<>(store.registry(source.id()));
      for (SourceEntry entry : listing) {
        RegistryEntry known = registry.remove(entry.path());
        if (known == null) {
          added.add(new SyncPlan.Item(source, entry, Optional.empty(), Optional.empty()));
        } else if (known.size() == entry.size()
            && known.modifiedMillis() == entry.modifiedMillis()) {
          unchanged++;
        } else {
          String hash = ContentHash.of(source.localFile(entry));
          if (hash.equals(known.contentHash())) {
            touched.add(new SyncPlan.Touched(known, entry));
            unchanged++;
          } else {
            changed.add(new SyncPlan.Item(source, entry, Optional.of(known), Optional.of(hash)));
          }
        }
      }
      deleted.addAll(registry.values());
    }
    // files of sources that are no longer configured leave the index too
    deleted.addAll(store.registryEntries(e -> !sourceIds.contains(e.source())));
    return new SyncPlan(added, changed, deleted, touched, unchanged);
  }
}
