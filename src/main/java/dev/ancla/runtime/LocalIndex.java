package dev.ancla.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a follower's served snapshot the writer's index when it takes over (ARCHITECTURE.md
 * decision 16). The published snapshot is the truth: an index left in the data directory by an
 * earlier run as the writer may hold commits it never published, and the next sync redoes those
 * from the sources, so it is replaced.
 */
public final class LocalIndex {
  private static final Logger log = LoggerFactory.getLogger(LocalIndex.class);

  private LocalIndex() {}

  /**
   * Replaces {@code indexDir} with hard links to the files of {@code commitDir} (no bytes copied:
   * Lucene never changes a file once written, and the writer only adds and deletes names). Built
   * under a temporary name, then renamed into place.
   */
  public static void replaceWith(Path indexDir, Path commitDir) throws IOException {
    Path tmp = indexDir.resolveSibling(indexDir.getFileName() + ".taking-over");
    deleteTree(tmp);
    Files.createDirectories(tmp);
    for (Path file : list(commitDir)) {
      Files.createLink(tmp.resolve(file.getFileName()), file);
    }
    if (Files.exists(indexDir)) {
      log.info("replacing the local index at {} with the newest published snapshot", indexDir);
      deleteTree(indexDir);
    }
    Files.move(tmp, indexDir, StandardCopyOption.ATOMIC_MOVE);
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.toList();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
