package dev.ancla.source;

import dev.ancla.index.RegistryEntry;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local folder, walked recursively. Hidden files and folders (a name starting with '.') and
 * Office's lock files (a name starting with "~$") are skipped, and so are symbolic links that lead
 * outside the root, link loops and the excluded folders (the data directory, when it lies inside
 * the root). Include and exclude globs match the path relative to the root, e.g. {@code **}{@code
 * /*.pdf}.
 */
public final class FolderSource implements Source {
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
  public String kind() {
    return "folder";
  }

  @Override
  public String describe() {
    return root.toString();
  }

  @Override
  public void check() throws SourceException {
    if (!Files.isDirectory(root)) {
      throw new SourceException(
          "source folder "
              + id
              + " ("
              + root
              + ") does not exist or is not a folder; create it, mount it, or fix its path in"
              + " ANCLA_SOURCES");
    }
    if (!Files.isReadable(root)) {
      throw new SourceException(
          "source folder " + id + " (" + root + ") cannot be read; give Ancla read permission");
    }
  }

  public Path root() {
    return root;
  }

  /** Always a full listing: a folder has no change feed, and the cursor is ignored. */
  @Override
  public Listing list(Optional<String> cursor) throws IOException {
    check();
    Path realRoot = root.toRealPath();
    var entries = new ArrayList<SourceItem>();
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
              String version =
                  RegistryEntry.folderVersion(attrs.size(), attrs.lastModifiedTime().toMillis());
              entries.add(SourceItem.of(relative, relative, version, attrs.size()));
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
    entries.sort(Comparator.comparing(SourceItem::id));
    return new Listing.Full(entries, Optional.empty());
  }

  /** The file itself, not a copy: closing deletes nothing. */
  @Override
  public Fetched fetch(SourceItem item, long maxBytes) throws IOException {
    Path file =
        served(item.id())
            .orElseThrow(
                () ->
                    new SourceException(
                        item.id()
                            + " is no longer a file inside source folder "
                            + root
                            + " (deleted, or a link that leads out of it)"));
    Downloads.checkSize(file.toString(), Files.size(file), maxBytes);
    return Fetched.borrowed(file);
  }

  /**
   * The real path of an indexed file for serving it, when it is a regular file inside the root;
   * empty for anything else (a path that escapes, a link out of the root, a folder).
   */
  public Optional<Path> served(String relative) throws IOException {
    if (relative.isEmpty()
        || relative.indexOf('\0') >= 0
        || relative.startsWith("/")
        || relative.contains("\\")) {
      return Optional.empty();
    }
    Path realRoot = root.toRealPath();
    Path candidate = realRoot.resolve(relative).normalize();
    if (!candidate.startsWith(realRoot) || !Files.exists(candidate)) {
      return Optional.empty();
    }
    Path real = candidate.toRealPath(); // a symbolic link may point out of the root
    return real.startsWith(realRoot) && Files.isRegularFile(real)
        ? Optional.of(real)
        : Optional.empty();
  }

  private boolean accepted(String relative) {
    Path path = Path.of(relative);
    boolean included = include.isEmpty() || include.stream().anyMatch(m -> m.matches(path));
    return included && exclude.stream().noneMatch(m -> m.matches(path));
  }

  private String relative(Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  /**
   * Hidden files and folders (".git", ".DS_Store") and the lock files Office leaves beside an open
   * document ("~$informe.docx": a few bytes of user name, never a document).
   */
  private static boolean hidden(Path path) {
    Path name = path.getFileName();
    return name != null && (name.toString().startsWith(".") || name.toString().startsWith("~$"));
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
