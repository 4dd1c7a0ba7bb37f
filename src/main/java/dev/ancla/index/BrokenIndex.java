package dev.ancla.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps an invalid index out of the way without losing it: it is renamed to {@code
 * index.broken-<time>} beside itself, never deleted. The data disk is small (App Platform: 2 GiB),
 * so only the newest broken copy is kept: older {@code index.broken-*} directories are deleted.
 */
public final class BrokenIndex {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private BrokenIndex() {}

  /** Where the index went, and the older broken copies deleted to make room. */
  public record MovedAside(Path to, List<Path> deletedOlder) {}

  /** Renames {@code indexDir} aside (atomically), then deletes older broken copies. */
  public static MovedAside moveAside(Path indexDir, Instant now) throws IOException {
    String prefix = indexDir.getFileName() + ".broken-";
    Path to = indexDir.resolveSibling(prefix + TIME.format(now));
    for (int i = 2; Files.exists(to); i++) {
      to = indexDir.resolveSibling(prefix + TIME.format(now) + "-" + i);
    }
    Files.move(indexDir, to, StandardCopyOption.ATOMIC_MOVE);
    var deleted = new ArrayList<Path>();
    try (Stream<Path> siblings = Files.list(to.getParent())) {
      for (Path older :
          siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        if (!older.equals(to)) {
          deleteTree(older);
          deleted.add(older);
        }
      }
    }
    return new MovedAside(to, deleted);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
