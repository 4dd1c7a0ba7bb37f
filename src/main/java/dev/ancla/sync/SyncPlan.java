package dev.ancla.sync;

import dev.ancla.index.RegistryEntry;
import dev.ancla.source.Source;
import dev.ancla.source.SourceItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a sync will do: each source's listing compared with the registry.
 *
 * @param sources one plan per configured source, in configuration order
 * @param orphaned entries of sources that are no longer configured: they leave the index
 */
public record SyncPlan(List<SourcePlan> sources, List<RegistryEntry> orphaned) {

  public SyncPlan {
    sources = List.copyOf(sources);
    orphaned = List.copyOf(orphaned);
  }

  /**
   * One source's part.
   *
   * @param failure why the source could not be listed; then every list is empty and its documents
   *     stay as they are
   * @param listed items the listing held (a change listing: its upserts)
   * @param cursor the cursor to store once this plan's changes are committed
   * @param state what the source keeps beside the cursor, stored by the same commit; empty when the
   *     index already holds it
   * @param added items the index has never seen
   * @param changed items whose version moved: fetched, and parsed and embedded only when their
   *     bytes differ from the indexed ones
   * @param deleted indexed items the source no longer has
   * @param relisted entries to rewrite without fetching: same content, new version (a touch, a
   *     sharing change), display path (a rename) or link
   * @param unchanged items with the same version as indexed
   * @param fullListing whether the listing was complete (else a change feed's changes)
   */
  public record SourcePlan(
      Source source,
      Optional<String> failure,
      int listed,
      Optional<String> cursor,
      Optional<String> state,
      List<Item> added,
      List<Item> changed,
      List<RegistryEntry> deleted,
      List<Relisted> relisted,
      int unchanged,
      boolean fullListing) {

    public SourcePlan {
      added = List.copyOf(added);
      changed = List.copyOf(changed);
      deleted = List.copyOf(deleted);
      relisted = List.copyOf(relisted);
    }

    /** A plan whose source keeps no state beside its cursor. */
    public SourcePlan(
        Source source,
        Optional<String> failure,
        int listed,
        Optional<String> cursor,
        List<Item> added,
        List<Item> changed,
        List<RegistryEntry> deleted,
        List<Relisted> relisted,
        int unchanged,
        boolean fullListing) {
      this(
          source,
          failure,
          listed,
          cursor,
          Optional.empty(),
          added,
          changed,
          deleted,
          relisted,
          unchanged,
          fullListing);
    }

    static SourcePlan failed(Source source, String why) {
      return new SourcePlan(
          source,
          Optional.of(why),
          0,
          Optional.empty(),
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          0,
          false);
    }

    public boolean isEmpty() {
      return added.isEmpty() && changed.isEmpty() && deleted.isEmpty() && relisted.isEmpty();
    }
  }

  /** An item to fetch, and to parse, chunk and embed unless its bytes are the indexed ones. */
  public record Item(Source source, SourceItem item, Optional<RegistryEntry> previous) {}

  /**
   * A registry entry that moves without fetching.
   *
   * @param moved the chunks carry the old path or link and are rewritten (vectors kept)
   */
  public record Relisted(RegistryEntry updated, boolean moved) {}

  public List<Item> added() {
    return collect(SourcePlan::added);
  }

  public List<Item> changed() {
    return collect(SourcePlan::changed);
  }

  /** Every entry that leaves the index: of listed sources, and of sources no longer configured. */
  public List<RegistryEntry> deleted() {
    var all = new ArrayList<RegistryEntry>(collect(SourcePlan::deleted));
    all.addAll(orphaned);
    return all;
  }

  public List<Relisted> relisted() {
    return collect(SourcePlan::relisted);
  }

  public int unchanged() {
    return sources.stream().mapToInt(SourcePlan::unchanged).sum();
  }

  public int toIndex() {
    return added().size() + changed().size();
  }

  public boolean isEmpty() {
    return orphaned.isEmpty() && sources.stream().allMatch(SourcePlan::isEmpty);
  }

  private <T> List<T> collect(java.util.function.Function<SourcePlan, List<T>> part) {
    var all = new ArrayList<T>();
    for (SourcePlan plan : sources) {
      all.addAll(part.apply(plan));
    }
    return all;
  }
}
