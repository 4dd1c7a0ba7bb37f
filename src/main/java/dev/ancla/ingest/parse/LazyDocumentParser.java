package dev.ancla.ingest.parse;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Makes the real parser on the first file to parse. Tika's parser takes 0.3-0.5 s and ~2,000
 * classes to create; a server whose index is complete, or a sync with nothing new, never needs it,
 * and {@code ancla serve} must not pay it before it is ready.
 */
public final class LazyDocumentParser implements DocumentParser {
  private final Supplier<DocumentParser> factory;
  private volatile DocumentParser made;

  public LazyDocumentParser(Supplier<DocumentParser> factory) {
    this.factory = factory;
  }

  /** Whether the real parser has been made. */
  public boolean isMade() {
    return made != null;
  }

  @Override
  public ParsedDocument parse(Path file, String name) throws ParseFailure {
    return parser().parse(file, name);
  }

  private DocumentParser parser() {
    DocumentParser current = made;
    if (current == null) {
      synchronized (this) {
        current = made;
        if (current == null) {
          current = factory.get();
          made = current;
        }
      }
    }
    return current;
  }
}
