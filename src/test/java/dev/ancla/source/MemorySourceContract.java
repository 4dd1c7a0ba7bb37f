package dev.ancla.source;

/**
 * The in-memory test source against the contract, with or without a change feed (the two subclasses
 * run it both ways).
 */
abstract class MemorySourceContract extends SourceContract {
  private final boolean changeFeed;
  private MemorySource current;

  MemorySourceContract(boolean changeFeed) {
    this.changeFeed = changeFeed;
  }

  @Override
  protected Source source() {
    current = new MemorySource("mem", changeFeed);
    return current;
  }

  @Override
  protected void put(String path, String text) {
    current.put(path, text);
  }

  @Override
  protected void delete(String path) {
    current.delete(path);
  }

  @Override
  protected void rename(String from, String to) {
    current.rename(from, to);
  }

  @Override
  protected Source unreachable() {
    var source = new MemorySource("mem", changeFeed);
    source.reachable(false);
    return source;
  }

  @Override
  protected boolean renameKeepsId() {
    return true;
  }
}
