package dev.ancla.index;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.NIOFSDirectory;

/** How a read-only {@link IndexStore} reads its files. */
public enum Reads {
  /** Memory-mapped, Lucene's default: for a process that searches many times (server, eval). */
  MAPPED {
    @Override
    Directory open(Path dir) throws IOException {
      return FSDirectory.open(dir);
    }
  },
  /**
   * Positional reads through a file channel, for a process that searches once and exits ({@code
   * ancla search}, {@code status}): memory mapping's first use sets up Lucene's native {@code
   * madvise} calls, generating classes at run time that the AOT cache cannot hold, ~10-15 ms of a
   * cold start (docs/BENCHMARKS.md §1); one query reads too little for mapping to pay that back.
   */
  ONE_SHOT {
    @Override
    Directory open(Path dir) throws IOException {
      return new NIOFSDirectory(dir);
    }
  };

  abstract Directory open(Path dir) throws IOException;
}
