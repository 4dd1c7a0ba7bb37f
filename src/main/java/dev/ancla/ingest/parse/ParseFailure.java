package dev.ancla.ingest.parse;

/** A file that cannot be turned into text; {@link #reason()} says why in words a user can act on. */
public final class ParseFailure extends Exception {
  /** Why a file failed; stored in the registry as the lowercase name. */
  public enum Kind {
    EMPTY,
    ENCRYPTED,
    CORRUPT,
    UNSUPPORTED,
    TOO_LARGE,
    TIMEOUT,
    ZIP_BOMB,
    UNREADABLE
  }

  private final Kind kind;

  public ParseFailure(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public ParseFailure(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** e.g. {@code "encrypted: the PDF is password-protected"} */
  public String reason() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + getMessage();
  }
}
