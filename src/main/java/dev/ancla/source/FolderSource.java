package dev.ancla.source;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local folder, walked recursively. Hidden files and folders (a name starting with '.') are
 * skipped, and so are symbolic links that lead outside the root, link loops and the excluded
 * folders (the data directory, when it lies inside the root). Include and exclude globs match the
 * path relative to the root, e.g. {@code **}{@code /*.pdf}.
 */
public final class FolderSource implements LegacySource {
  private static final Logger log = LoggerFactory.getLogger(FolderSource.class);

  private final String id;
  private final Path root;
  private final List<PathMatcher> include;
  private final List<PathMatcher> exclude;
  private final List<Path> skipFolders;

  public FolderSource(
      String id, Path root, List<String> include, List<String> exclude, List<Path> skipFolders) {
    this.id = id;
    this.root = root.toAbsolutePath().normalize();
    this.include = include.stream().map(FolderSource::matcher).toList();
    this.exclude = exclude.stream().map(FolderSource::matcher).toList();
    this.skipFolders = skipFolders.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  private static PathMatcher matcher(String glob) {
    // "**/*.pdf" should also match "a.pdf" at the root, as users expect from .gitignore-like globs
    PathMatcher direct = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    PathMatcher rooted =
        glob.startsWith("**/")
            ? FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3))
            : direct;
    return path -> direct.matches(path) || rooted.matches(path);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String describe() {
    return root.toString();
  }

  public Path root() {
    return root;
  }

  @Override
  public List<SourceEntry> list() throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(
          root.toString(), null, "source folder " + id + " does not exist or is not a folder");
    }
    Path realRoot = root.toRealPath();
    var entries = new ArrayList<SourceEntry>();
    Files.walkFileTree(
        root,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (dir.equals(root)) {
              return FileVisitResult.CONTINUE;
            }
            if (hidden(dir) || skipFolders.contains(dir.normalize()) || !inside(dir, realRoot)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (!attrs.isRegularFile() || hidden(file) || !inside(file, realRoot)) {
              return FileVisitResult.CONTINUE;
            }
            String relative = relative(file);
            if (accepted(relative)) {
              entries.add(
                  new SourceEntry(relative, attrs.size(), attrs.lastModifiedTime().toMillis()));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            if (e instanceof FileSystemLoopException) {
              log.debug("skipping symbolic link loop at {}", file);
            } else {
              log.warn("skipping {}: {}", file, e.toString());
            }
            return FileVisitResult.CONTINUE;
          }
        });
    entries.sort(Comparator.comparing(SourceEntry::path));
    return entries;
  }

  @Override
  public Path localFile(SourceEntry entry) throws IOException {
    Path file = root.resolve(entry.path()).normalize();
    if (!file.startsWith(root)) {
      throw new IOException("path " + entry.path() + " leaves source folder " + root);
    }
    return file;
  }

  private boolean accepted(String relative) {
    Path path = Path.of(relative);
    boolean included = include.isEmpty() || include.stream().anyMatch(m -> m.matches(path));
    return included && exclude.stream().noneMatch(m -> m.matches(path));
  }

  private String relative(Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  private static boolean hidden(Path path) {
    Path name = path.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  /**
   * Symbolic links may point anywhere inside the root, but never outside it. A file or folder that
   * is not itself a link lies inside: its parent folders were already checked when visited.
   */
  private static boolean inside(Path path, Path realRoot) {
    if (!Files.isSymbolicLink(path)) {
      return true;
    }
    try {
      return path.toRealPath().startsWith(realRoot);
    } catch (IOException e) {
      return false; // a dangling link
    }
  }
}
