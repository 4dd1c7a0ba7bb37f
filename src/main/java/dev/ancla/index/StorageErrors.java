package dev.ancla.index;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Storage failures in words a user can act on. A full disk reaches Java as a bare "No space left on
 * device" (the kernel's ENOSPC, from a write that carries no file name); that says neither where
 * nor what to do. Contract: {@link #describe} keeps the original message and adds, for a full disk
 * or exhausted quota, the folder being written, its free space and the fix.
 */
public final class StorageErrors {
  private StorageErrors() {}

  /**
   * The message for {@code e}, a failure while writing under {@code folder} (the data directory):
   * the exception's own message, with the path and free space added when the disk is full.
   */
  public static String describe(Throwable e, Path folder) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    Throwable full = fullDisk(e);
    if (full == null) {
      return message;
    }
    Path where =
        full instanceof FileSystemException fs && fs.getFile() != null
            ? Path.of(fs.getFile())
            : folder;
    return message
        + " (writing under "
        + where.toAbsolutePath()
        + space(where)
        + "); free some space there, or point ANCLA_DATA_DIR at a larger disk, and run the job"
        + " again: the last commit is intact";
  }

  /** The cause that says the disk or quota is full, or null. */
  static Throwable fullDisk(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (m.contains("no space left on device") || m.contains("disk quota exceeded")) {
        return t;
      }
    }
    return null;
  }

  private static String space(Path where) {
    try {
      Path existing = where.toAbsolutePath();
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing == null) {
        return "";
      }
      FileStore store = Files.getFileStore(existing);
      return ", " + mib(store.getUsableSpace()) + " free of " + mib(store.getTotalSpace());
    } catch (IOException | SecurityException e) {
      return "";
    }
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,d MiB", bytes / (1024 * 1024));
  }
}
