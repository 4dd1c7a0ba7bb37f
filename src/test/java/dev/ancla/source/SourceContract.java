package dev.ancla.source;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The {@link Source} contract; each implementation's test extends this and says how to change the
 * items under a fresh, empty root. Every step is checked twice: by a follower that keeps the cursor
 * and applies each listing as the sync does, and by a fresh full listing; both must agree.
 */
public abstract class SourceContract {

  /** A fresh source over an empty root; the same one is changed by the methods below. */
  protected abstract Source source() throws IOException;

  /** Adds an item at display path {@code path} with {@code text}, or replaces its content. */
  protected abstract void put(String path, String text) throws IOException;

  protected abstract void delete(String path) throws IOException;

  /** Renames or moves the item at {@code from} to {@code to}. */
  protected abstract void rename(String from, String to) throws IOException;

  /** A source whose root does not exist or cannot be read (same kind, fresh). */
  protected abstract Source unreachable() throws IOException;

  /** Whether a rename keeps the item's id (Drive, memory) rather than making a new item. */
  protected boolean renameKeepsId() {
    return false;
  }

  /** Whether fetch hands out temporary files (remote sources) rather than the source's own. */
  protected boolean fetchesTemporaryFiles() {
    return true;
  }

  /** Applies listings as the sync does: a full listing replaces, changes patch. */
  protected static final class Follower {
    private final Source source;
    private final Map<String, SourceItem> view = new TreeMap<>();
    private Optional<String> cursor = Optional.empty();
    private Optional<String> state = Optional.empty();
    private Listing last;

    Follower(Source source) {
      this.source = source;
    }

    Follower sync() throws IOException {
      last = source.list(cursor, state);
      switch (last) {
        case Listing.Full full -> {
          view.clear();
          for (SourceItem item : full.items()) {
            assertNull(view.put(item.id(), item), "listed twice: " + item.id());
          }
        }
        case Listing.Changes changes -> {
          changes.removedIds().forEach(view::remove);
          changes.upserts().forEach(i -> view.put(i.id(), i));
        }
      }
      if (last.cursor().isPresent()) {
        cursor = last.cursor();
        state = last.state(); // kept beside the cursor, as the sync keeps it in the index
      }
      assertEquals(full(source), view, "the followed view equals a full listing");
      return this;
    }

    Map<String, SourceItem> view() {
      return view;
    }

    SourceItem byPath(String path) {
      return view.values().stream()
          .filter(i -> i.path().equals(path))
          .findFirst()
          .orElseThrow(() -> new AssertionError(path + " not in " + paths()));
    }

    Set<String> paths() {
      return view.values().stream().map(SourceItem::path).collect(Collectors.toSet());
    }
  }

  private static Map<String, SourceItem> full(Source source) throws IOException {
    Listing listing = source.list(Optional.empty());
    Listing.Full full = assertInstanceOf(Listing.Full.class, listing, "no cursor: a full listing");
    var sorted = new ArrayList<>(full.items());
    sorted.sort(Comparator.comparing(SourceItem::id));
    assertEquals(sorted, full.items(), "a full listing is sorted by id");
    var byId = new TreeMap<String, SourceItem>();
    for (SourceItem item : full.items()) {
      assertNull(byId.put(item.id(), item), "listed twice: " + item.id());
    }
    return byId;
  }

  private static String read(Source source, SourceItem item) throws IOException {
    try (Fetched fetched = source.fetch(item, 1 << 20)) {
      return Files.readString(fetched.file(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void anEmptyRootListsNothingAndPassesTheCheck() throws IOException {
    try (Source source = source()) {
      source.check();
      assertFalse(source.id().isBlank());
      assertTrue(Set.of("folder", "gdrive", "s3", "memory").contains(source.kind()));
      assertFalse(source.describe().isBlank());
      assertTrue(new Follower(source).sync().view().isEmpty());
    }
  }

  @Test
  void listsEveryItemOnceWithItsPathSizeAndAStableIdAndVersion() throws IOException {
    try (Source source = source()) {
      put("a.txt", "hello");
      put("sub/deep/b.md", "# B\n\nbody");
      put("informe final ñandú 📄.txt", "ñ");
      var follower = new Follower(source).sync();
      assertEquals(
          Set.of("a.txt", "sub/deep/b.md", "informe final ñandú 📄.txt"), follower.paths());
      assertEquals(5, follower.byPath("a.txt").size());
      assertEquals(
          "ñ".getBytes(StandardCharsets.UTF_8).length,
          follower.byPath("informe final ñandú 📄.txt").size());
      assertEquals("md", follower.byPath("sub/deep/b.md").extension());

      var before = Map.copyOf(follower.view());
      assertEquals(before, follower.sync().view(), "nothing changed: same ids and versions");
      assertEquals(before, full(source));
    }
  }

  @Test
  void aChangedItemKeepsItsIdAndGetsANewVersion() throws IOException {
    try (Source source = source()) {
      put("a.txt", "one");
      put("b.txt", "unchanged");
      var follower = new Follower(source).sync();
      SourceItem a = follower.byPath("a.txt");
      SourceItem b = follower.byPath("b.txt");
      put("a.txt", "three!");
      follower.sync();
      SourceItem changed = follower.byPath("a.txt");
      assertEquals(a.id(), changed.id());
      assertNotEquals(a.version(), changed.version());
      assertEquals(6, changed.size());
      assertEquals(b, follower.byPath("b.txt"));
      assertEquals("three!", read(source, changed));
    }
  }

  @Test
  void aDeletedItemLeavesTheListing() throws IOException {
    try (Source source = source()) {
      put("keep.txt", "k");
      put("dir/gone.txt", "g");
      var follower = new Follower(source).sync();
      delete("dir/gone.txt");
      assertEquals(Set.of("keep.txt"), follower.sync().paths());
    }
  }

  @Test
  void aRenamedItemIsListedUnderItsNewPathOnly() throws IOException {
    try (Source source = source()) {
      put("old name.txt", "same bytes");
      var follower = new Follower(source).sync();
      String oldId = follower.byPath("old name.txt").id();
      rename("old name.txt", "moved/new name.txt");
      follower.sync();
      assertEquals(Set.of("moved/new name.txt"), follower.paths());
      SourceItem renamed = follower.byPath("moved/new name.txt");
      if (renameKeepsId()) {
        assertEquals(oldId, renamed.id());
      }
      assertEquals("same bytes", read(source, renamed));
    }
  }

  @Test
  void fetchGivesTheBytesAndCleansUpOnClose() throws IOException {
    try (Source source = source()) {
      byte[] binary = new byte[70_000]; // more than one buffer, every byte value
      for (int i = 0; i < binary.length; i++) {
        binary[i] = (byte) i;
      }
      put("t.txt", "texto con acentos: áéíóú");
      var follower = new Follower(source).sync();
      SourceItem item = follower.byPath("t.txt");
      var files = new HashSet<java.nio.file.Path>();
      for (int i = 0; i < 2; i++) {
        try (Fetched fetched = source.fetch(item, 1 << 20)) {
          assertEquals("texto con acentos: áéíóú", Files.readString(fetched.file()));
          files.add(fetched.file());
        }
      }
      for (var file : files) {
        assertEquals(!fetchesTemporaryFiles(), Files.exists(file), file.toString());
      }
    }
  }

  @Test
  void fetchOverTheLimitFailsNamingTheSetting() throws IOException {
    try (Source source = source()) {
      put("big.txt", "x".repeat(5000));
      SourceItem item = new Follower(source).sync().byPath("big.txt");
      var e = assertThrows(TooLargeException.class, () -> source.fetch(item, 1000).close());
      assertTrue(e.getMessage().contains("ANCLA_MAX_FILE_MB"), e.getMessage());
      try (Fetched fetched = source.fetch(item, 5000)) {
        assertEquals(5000, Files.size(fetched.file()), "exactly the limit is fine");
      }
    }
  }

  @Test
  void anUnreachableRootFailsTheCheckAndTheListingNeverLooksEmpty() throws IOException {
    try (Source source = unreachable()) {
      var check = assertThrows(SourceException.class, source::check);
      assertFalse(check.getMessage().isBlank());
      assertThrows(IOException.class, () -> source.list(Optional.empty()));
    }
  }

  @Test
  void aCursorItDidNotGiveIsRejectedOrIgnored() throws IOException {
    try (Source source = source()) {
      put("a.txt", "a");
      try {
        Listing listing = source.list(Optional.of("not-a-cursor-42"));
        var full = assertInstanceOf(Listing.Full.class, listing);
        assertEquals(List.of("a.txt"), full.items().stream().map(SourceItem::path).toList());
      } catch (CursorExpiredException expected) {
        assertFalse(expected.getMessage().isBlank());
      }
    }
  }
}
