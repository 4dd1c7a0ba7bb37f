package dev.ancla.source;

/** The in-memory test source passes the contract (with full listings only). */
class MemorySourceFullListingTest extends SourceContract {
  private MemorySource current;

  @Override
  protected Source source() {
    current = new MemorySource("mem", false);
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
    var source = new MemorySource("mem", false);
    source.reachable(false);
    return source;
  }

  @Override
  protected boolean renameKeepsId() {
    return true;
  }
}
