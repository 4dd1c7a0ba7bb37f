package dev.ancla.query;

import java.util.Locale;
import java.util.Optional;

/**
 * Restricts a search to chunks of some files. Every present condition must hold.
 *
 * @param source the source id, exactly
 * @param pathPrefix a prefix of the path relative to the source, e.g. "manuales/2024/"
 * @param extension the file type as its extension, e.g. "pdf"; a leading dot and case are ignored
 */
public record Filter(
    Optional<String> source, Optional<String> pathPrefix, Optional<String> extension) {

  /** No restriction. */
  public static final Filter NONE =
      new Filter(Optional.empty(), Optional.empty(), Optional.empty());

  public Filter {
    requireNotBlank("source", source);
    requireNotBlank("path prefix", pathPrefix);
    requireNotBlank("extension", extension);
    extension = extension.map(e -> e.strip().replaceFirst("^\\.", "").toLowerCase(Locale.ROOT));
  }

  public Filter withSource(String id) {
    return new Filter(Optional.of(id), pathPrefix, extension);
  }

  public Filter withPathPrefix(String prefix) {
    return new Filter(source, Optional.of(prefix), extension);
  }

  public Filter withExtension(String ext) {
    return new Filter(source, pathPrefix, Optional.of(ext));
  }

  public boolean isEmpty() {
    return source.isEmpty() && pathPrefix.isEmpty() && extension.isEmpty();
  }

  private static void requireNotBlank(String what, Optional<String> value) {
    if (value.isPresent() && value.get().isBlank()) {
      throw new IllegalArgumentException(
          "the " + what + " filter is blank; leave it out or give a value, e.g. \"pdf\"");
    }
  }
}
