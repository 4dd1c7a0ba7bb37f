package dev.ancla.ingest.parse;

import java.nio.file.Path;

/**
 * Turns one file into structured text.
 *
 * <p>Contract: thread-safe; never throws anything but {@link ParseFailure} for a file it cannot
 * read (corrupt, encrypted, empty, too large, too slow, unsupported). A failure is a property of
 * the file, not of the run: callers record it and go on.
 */
public interface DocumentParser {

  /**
   * @param file the file on local disk
   * @param name its path relative to its source, e.g. {@code "manuales/guía.pdf"}; used for the
   *     type hint (extension) and for messages
   */
  ParsedDocument parse(Path file, String name) throws ParseFailure;
}
