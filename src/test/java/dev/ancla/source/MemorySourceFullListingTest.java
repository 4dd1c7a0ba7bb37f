package dev.ancla.source;

/** The in-memory test source passes the contract (with full listings only). */
class MemorySourceFullListingTest extends MemorySourceContract {
  MemorySourceFullListingTest() {
    super(false);
  }
}
