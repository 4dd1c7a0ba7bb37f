package dev.ancla.source;

import java.util.List;
import java.util.Optional;

/** What {@link Source#list} returns: everything, or the changes since a cursor. */
public sealed interface Listing {

  /** The cursor to store in the commit that holds this listing's changes. */
  Optional<String> cursor();

  /**
   * What the source keeps beside the cursor in the index ({@link Source#list(Optional, Optional)}),
   * stored by the same commit; empty for sources that keep everything in the cursor.
   */
  Optional<String> state();

  /** Every item in scope, each once; the planner diffs it against the registry. */
  record Full(List<SourceItem> items, Optional<String> cursor, Optional<String> state)
      implements Listing {
    public Full {
      items = List.copyOf(items);
    }

    public Full(List<SourceItem> items, Optional<String> cursor) {
      this(items, cursor, Optional.empty());
    }
  }

  /**
   * @param upserts items added, changed, renamed or moved into scope
   * @param removedIds items deleted, trashed or moved out of scope (a folder moved out takes its
   *     subtree)
   */
  record Changes(
      List<SourceItem> upserts,
      List<String> removedIds,
      Optional<String> cursor,
      Optional<String> state)
      implements Listing {
    public Changes {
      upserts = List.copyOf(upserts);
      removedIds = List.copyOf(removedIds);
    }

    public Changes(List<SourceItem> upserts, List<String> removedIds, Optional<String> cursor) {
      this(upserts, removedIds, cursor, Optional.empty());
    }
  }
}
