package dev.ancla.source;

/** The in-memory test source passes the contract (with a change feed). */
class MemorySourceWithChangeFeedTest extends MemorySourceContract {
  MemorySourceWithChangeFeedTest() {
    super(true);
  }
}
