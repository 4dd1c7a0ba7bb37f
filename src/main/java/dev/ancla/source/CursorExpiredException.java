package dev.ancla.source;

/** The backend rejected a stored cursor: the planner logs it and asks for a full listing. */
public final class CursorExpiredException extends SourceException {
  public CursorExpiredException(String message) {
    super(message);
  }

  public CursorExpiredException(String message, Throwable cause) {
    super(message, cause);
  }
}
