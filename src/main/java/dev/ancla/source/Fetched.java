package dev.ancla.source;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An item's content as a local file, valid until closed. */
public interface Fetched extends Closeable {
  Path file();

  /** A file the source owns (a folder's own file): closing deletes nothing. */
  static Fetched borrowed(Path file) {
    return new Fetched() {
      @Override
      public Path file() {
        return file;
      }

      @Override
      public void close() {}
    };
  }

  /** A temporary file: closing deletes it. */
  static Fetched temporary(Path file) {
    return new Fetched() {
      @Override
      public Path file() {
        return file;
      }

      @Override
      public void close() throws IOException {
        Files.deleteIfExists(file);
      }
    };
  }
}
