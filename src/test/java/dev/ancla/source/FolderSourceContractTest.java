package dev.ancla.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** {@link FolderSource} passes the source contract: id and path are the relative path. */
class FolderSourceContractTest extends SourceContract {
  @TempDir Path dir;

  private Path root() {
    return dir.resolve("root");
  }

  @Override
  protected Source source() throws IOException {
    Files.createDirectories(root());
    return new FolderSource("docs", root(), List.of(), List.of(), List.of());
  }

  @Override
  protected void put(String path, String text) throws IOException {
    Path file = root().resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @Override
  protected void delete(String path) throws IOException {
    Files.delete(root().resolve(path));
  }

  @Override
  protected void rename(String from, String to) throws IOException {
    Path target = root().resolve(to);
    Files.createDirectories(target.getParent());
    Files.move(root().resolve(from), target);
  }

  @Override
  protected Source unreachable() {
    return new FolderSource("docs", dir.resolve("missing"), List.of(), List.of(), List.of());
  }

  @Override
  protected boolean fetchesTemporaryFiles() {
    return false;
  }
}
