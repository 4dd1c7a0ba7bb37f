package dev.ancla.source;

/**
 * One file as a source lists it.
 *
 * @param path identity: the path relative to the source root, '/'-separated, e.g. {@code a/b.pdf}
 * @param size bytes
 * @param modifiedMillis last modification time; with size, the cheap version of the file
 */
public record SourceEntry(String path, long size, long modifiedMillis) {

  /** The file type used for filters: the lowercase extension without the dot, or "". */
  public String extension() {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
  }
}
