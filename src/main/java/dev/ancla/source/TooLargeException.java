package dev.ancla.source;

/**
 * An item over the size limit ({@code ANCLA_MAX_FILE_MB}): recorded as too large, not unreadable.
 */
public final class TooLargeException extends SourceException {
  public TooLargeException(String message) {
    super(message);
  }
}
