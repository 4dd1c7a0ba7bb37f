package dev.ancla.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A source held in memory, for tests. Items are added by display path and get a stable id that a
 * rename keeps, as Drive's do. With {@code changeFeed} it answers a cursor with the changes since
 * it (cursors are generation numbers) as Drive does; without, it always lists everything, as a
 * folder or a bucket does. Tests can make it fail, expire its cursors, and count its fetches.
 */
public final class MemorySource implements Source {

  private record Stored(SourceItem item, byte[] bytes) {}

  private record Change(long generation, String id, boolean removed) {}

  private final String id;
  private final boolean changeFeed;
  private final Map<String, Stored> items = new TreeMap<>(); // by item id
  private final List<Change> log = new ArrayList<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private long generation;
  private long nextId = 1;
  private long oldestCursor;
  private boolean reachable = true;
  private Optional<IOException> listFailure = Optional.empty();

  public MemorySource(String id, boolean changeFeed) {
    this.id = id;
    this.changeFeed = changeFeed;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String kind() {
    return "memory";
  }

  @Override
  public String describe() {
    return "memory:" + id;
  }

  @Override
  public synchronized void check() throws IOException {
    if (!reachable) {
      throw new SourceException("memory source " + id + " is unreachable; make it reachable");
    }
  }

  @Override
  public synchronized Listing list(Optional<String> cursor) throws IOException {
    check();
    if (listFailure.isPresent()) {
      throw listFailure.get();
    }
    Optional<String> now = changeFeed ? Optional.of(String.valueOf(generation)) : Optional.empty();
    if (!changeFeed || cursor.isEmpty()) {
      return new Listing.Full(items.values().stream().map(Stored::item).toList(), now);
    }
    long since;
    try {
      since = Long.parseLong(cursor.get());
    } catch (NumberFormatException e) {
      throw new CursorExpiredException("cursor " + cursor.get() + " is not one of mine");
    }
    if (since < oldestCursor || since > generation) {
      throw new CursorExpiredException("cursor " + since + " expired");
    }
    var touched = new LinkedHashMap<String, Boolean>();
    for (Change change : log) {
      if (change.generation() > since) {
        touched.put(change.id(), true);
      }
    }
    var upserts = new ArrayList<SourceItem>();
    var removed = new ArrayList<String>();
    for (String itemId : touched.keySet()) {
      Stored stored = items.get(itemId);
      if (stored == null) {
        removed.add(itemId);
      } else {
        upserts.add(stored.item());
      }
    }
    upserts.sort(Comparator.comparing(SourceItem::id));
    return new Listing.Changes(upserts, removed, now);
  }

  @Override
  public synchronized Fetched fetch(SourceItem item, long maxBytes) throws IOException {
    check();
    Stored stored = items.get(item.id());
    if (stored == null) {
      throw new SourceException("memory source " + id + " has no item " + item.id());
    }
    fetches.incrementAndGet();
    Downloads.checkSize(describe() + "/" + stored.item().path(), stored.bytes().length, maxBytes);
    return Downloads.toTempFile(
        new ByteArrayInputStream(stored.bytes()), maxBytes, describe() + "/" + item.path());
  }

  /** Adds an item at {@code path}, or changes the one there; returns its id. */
  public synchronized String put(String path, String text) {
    return put(path, text.getBytes(StandardCharsets.UTF_8), Optional.empty());
  }

  /** Adds or changes an item with a link (as a Drive item has); returns its id. */
  public synchronized String put(String path, byte[] bytes, Optional<URI> link) {
    String itemId = idOf(path).orElseGet(() -> "m" + nextId++);
    Stored old = items.get(itemId);
    long version = old == null ? 1 : Long.parseLong(old.item().version()) + 1;
    store(
        new SourceItem(
            itemId,
            path,
            String.valueOf(version),
            bytes.length,
            Optional.empty(),
            Optional.of(Integer.toHexString(java.util.Arrays.hashCode(bytes)) + ":" + bytes.length),
            link),
        bytes);
    return itemId;
  }

  /** Moves the version without changing the bytes (a Drive sharing change). */
  public synchronized void touch(String path) {
    Stored old = items.get(idOf(path).orElseThrow());
    SourceItem i = old.item();
    store(
        new SourceItem(
            i.id(),
            i.path(),
            String.valueOf(Long.parseLong(i.version()) + 1),
            i.size(),
            i.mediaType(),
            i.contentHint(),
            i.link()),
        old.bytes());
  }

  /**
   * Moves the version and drops the content hint, so only a fetch can tell the bytes are the same
   * (a Drive native doc whose modifiedTime moved).
   */
  public synchronized void touchWithoutHint(String path) {
    Stored old = items.get(idOf(path).orElseThrow());
    SourceItem i = old.item();
    store(
        new SourceItem(
            i.id(),
            i.path(),
            String.valueOf(Long.parseLong(i.version()) + 1),
            i.size(),
            i.mediaType(),
            Optional.empty(),
            i.link()),
        old.bytes());
  }

  /** Renames or moves an item; its id stays. */
  public synchronized void rename(String from, String to) {
    Stored old = items.get(idOf(from).orElseThrow());
    SourceItem i = old.item();
    store(
        new SourceItem(
            i.id(),
            to,
            String.valueOf(Long.parseLong(i.version()) + 1),
            i.size(),
            i.mediaType(),
            i.contentHint(),
            i.link()),
        old.bytes());
  }

  public synchronized void delete(String path) {
    String itemId = idOf(path).orElseThrow();
    items.remove(itemId);
    log.add(new Change(++generation, itemId, true));
  }

  /** Every cursor handed out so far is rejected from now on. */
  public synchronized void expireCursors() {
    oldestCursor = generation + 1;
  }

  public synchronized void reachable(boolean reachable) {
    this.reachable = reachable;
  }

  /** Every listing throws {@code failure} until cleared with an empty one. */
  public synchronized void failListing(Optional<IOException> failure) {
    this.listFailure = failure;
  }

  public int fetches() {
    return fetches.get();
  }

  public synchronized Optional<String> idOf(String path) {
    return items.values().stream()
        .filter(s -> s.item().path().equals(path))
        .map(s -> s.item().id())
        .findFirst();
  }

  private void store(SourceItem item, byte[] bytes) {
    items.put(item.id(), new Stored(item, bytes.clone()));
    log.add(new Change(++generation, item.id(), false));
  }
}
