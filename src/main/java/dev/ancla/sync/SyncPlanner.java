package dev.ancla.sync;

import dev.ancla.index.ChunkIndex;
import dev.ancla.index.CommitInfo;
import dev.ancla.index.RegistryEntry;
import dev.ancla.source.CursorExpiredException;
import dev.ancla.source.Listing;
import dev.ancla.source.Source;
import dev.ancla.source.SourceItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares each source's listing with the registry, keyed by (source, item id). The version is the
 * cheap check; when it moved, an equal content hint (a fingerprint the backend gives for free)
 * proves the bytes unchanged; otherwise the pipeline fetches the item and its SHA-256 decides, so a
 * touched file costs a read, never a re-embedding. A failed file is retried only when it changes.
 *
 * <p>A source whose listing fails is planned as failed: its documents stay, the other sources are
 * planned as usual.
 */
public final class SyncPlanner {
  private static final Logger log = LoggerFactory.getLogger(SyncPlanner.class);

  private final ChunkIndex store;

  public SyncPlanner(ChunkIndex store) {
    this.store = store;
  }

  /** The commit-data key of a source's cursor. */
  public static String cursorKey(String sourceId) {
    return "source." + sourceId + ".cursor";
  }

  /** The index state key ({@link ChunkIndex#putState}) of what a source keeps beside its cursor. */
  public static String stateKey(String sourceId) {
    return "source." + sourceId + ".state";
  }

  public SyncPlan plan(List<Source> sources) throws IOException {
    Map<String, String> committed = store.lastCommit().map(CommitInfo::raw).orElse(Map.of());
    var plans = new ArrayList<SyncPlan.SourcePlan>();
    Set<String> sourceIds = new HashSet<>();
    for (Source source : sources) {
      sourceIds.add(source.id());
      Optional<String> cursor = Optional.ofNullable(committed.get(cursorKey(source.id())));
      Optional<String> stored = Optional.empty();
      Listing listing;
      try {
        if (cursor.isEmpty()) {
          // a clear message (which folder to share, which variable) before a full listing; a
          // change feed's own errors say as much, and an idle sync stays one request (Drive)
          source.check();
        }
        stored = store.state(stateKey(source.id()));
        listing = list(source, cursor, stored);
      } catch (IOException | RuntimeException e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        log.warn(
            "source {} ({}) could not be listed; its documents stay as they are: {}",
            source.id(),
            source.describe(),
            why);
        plans.add(SyncPlan.SourcePlan.failed(source, why));
        continue;
      }
      plans.add(plan(source, listing, stored));
    }
    // files of sources that are no longer configured leave the index too
    var orphaned = store.registryEntries(e -> !sourceIds.contains(e.source()));
    return new SyncPlan(plans, orphaned);
  }

  private static Listing list(Source source, Optional<String> cursor, Optional<String> state)
      throws IOException {
    if (cursor.isEmpty()) {
      return source.list(Optional.empty());
    }
    try {
      return source.list(cursor, state);
    } catch (CursorExpiredException e) {
      log.warn(
          "source {}: the stored cursor was rejected ({}); listing everything to reconcile",
          source.id(),
          e.getMessage());
      return source.list(Optional.empty());
    }
  }

  private SyncPlan.SourcePlan plan(Source source, Listing listing, Optional<String> storedState)
      throws IOException {
    // a change feed with nothing in it needs no registry: an idle Drive sync reads none of it
    boolean nothingChanged =
        listing instanceof Listing.Changes c && c.upserts().isEmpty() && c.removedIds().isEmpty();
    Map<String, RegistryEntry> registry =
        nothingChanged ? new HashMap<>() : new HashMap<>(store.registry(source.id()));
    var added = new ArrayList<SyncPlan.Item>();
    var changed = new ArrayList<SyncPlan.Item>();
    var deleted = new ArrayList<RegistryEntry>();
    var relisted = new ArrayList<SyncPlan.Relisted>();
    int unchanged = 0;
    List<SourceItem> items =
        switch (listing) {
          case Listing.Full full -> full.items();
          case Listing.Changes changes -> changes.upserts();
        };
    for (SourceItem item : items) {
      RegistryEntry known = registry.remove(item.id());
      if (known == null) {
        added.add(new SyncPlan.Item(source, item, Optional.empty()));
        continue;
      }
      boolean moved = !known.path().equals(item.path()) || !known.link().equals(item.link());
      boolean sameContent =
          known.version().equals(item.version())
              || (item.contentHint().isPresent() && item.contentHint().equals(known.contentHint()));
      if (!sameContent) {
        changed.add(new SyncPlan.Item(source, item, Optional.of(known)));
      } else if (moved || !known.version().equals(item.version())) {
        RegistryEntry updated =
            known.asListed(
                item.path(), item.version(), item.size(), item.contentHint(), item.link());
        relisted.add(new SyncPlan.Relisted(updated, moved));
        unchanged++;
      } else {
        unchanged++;
      }
    }
    switch (listing) {
      case Listing.Full _ -> deleted.addAll(registry.values());
      case Listing.Changes changes -> {
        for (String removed : changes.removedIds()) {
          RegistryEntry gone = registry.get(removed);
          if (gone != null) {
            deleted.add(gone);
          }
        }
      }
    }
    return new SyncPlan.SourcePlan(
        source,
        Optional.empty(),
        items.size(),
        listing.cursor(),
        listing.state().filter(s -> !storedState.equals(Optional.of(s))), // unchanged: no write
        added,
        changed,
        deleted,
        relisted,
        unchanged,
        listing instanceof Listing.Full);
  }
}
