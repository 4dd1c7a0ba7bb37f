package dev.ancla.source;

import java.io.IOException;

/** A source-level failure with a message for the user: what failed, and the fix. */
public class SourceException extends IOException {
  public SourceException(String message) {
    super(message);
  }

  public SourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
