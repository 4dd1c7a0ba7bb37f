package dev.ancla.source;

/** The in-memory test source passes the contract (with a change feed). */
class MemorySourceWithChangeFeedTest extends SourceContract {
  private MemorySource current;

  @Override
  protected Source source() {
    current = new MemorySource("mem", true);
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
    var source = new MemorySource("mem", true);
    source.reachable(false);
    return source;
  }

  @Override
  protected boolean renameKeepsId() {
    return true;
  }
}
