package dev.ancla.ingest.parse;

/**
 * A file that cannot be turned into text; {@link #reason()} says why in words a user can act on.
 */
public final class ParseFailure extends Exception {
  /** Why a file failed; stored in the registry as the lowercase name. */
  public enum Kind {
    EMPTY,
    ENCRYPTED,
    CORRUPT,
    UNSUPPORTED,
    /**
     * Not a document at all (an image, audio, video, font, program or archive): nothing is wrong
     * with the file, so it is skipped rather than reported as a failure.
     */
    NOT_A_DOCUMENT,
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
