package dev.ancla.ingest.parse;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaMemoryLimitException;
import org.apache.tika.exception.UnsupportedFormatException;
import org.apache.tika.exception.ZeroByteFileException;

/**
 * Maps what a parser library threw to a {@link ParseFailure} a user can act on. The whole cause
 * chain is searched, because Tika wraps: "TIKA-198: Illegal IOException from PDFParser" hides
 * PDFBox's "Missing root object specification in trailer". Messages never contain stack traces.
 */
final class FailureClassifier {
  private static final int MAX_DETAIL = 200;

  private FailureClassifier() {}

  /**
   * @param problem what the parse threw: an exception, or a {@link StackOverflowError} or {@link
   *     OutOfMemoryError} from a parser
   * @param type the detected format in words, e.g. "PDF document (application/pdf)"; "" when not
   *     known yet
   */
  static ParseFailure classify(Throwable problem, String type) {
    int depth = 0;
    for (Throwable t = problem; t != null && depth < 32; t = t.getCause(), depth++) {
      ParseFailure failure = specific(t);
      if (failure != null) {
        failure.initCause(problem);
        return failure;
      }
    }
    return new ParseFailure(
        ParseFailure.Kind.CORRUPT,
        (type.isEmpty() ? "could not be read" : "could not be read as " + type)
            + "; it seems damaged or incomplete: "
            + detail(problem),
        problem);
  }

  /** The failure that {@code t} alone proves, or null. */
  private static ParseFailure specific(Throwable t) {
    String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
    return switch (t) {
      case EncryptedDocumentException _,
          org.apache.poi.EncryptedDocumentException _,
          org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException _ ->
          failure(
              ParseFailure.Kind.ENCRYPTED,
              "the document is password-protected; save a copy without a password to index it");
      case TikaMemoryLimitException _ ->
          failure(
              ParseFailure.Kind.ZIP_BOMB,
              "it declares more data than Tika will unpack into memory; refusing a likely zip"
                  + " bomb");
      case Throwable _ when message.contains("zip bomb") ->
          failure(
              ParseFailure.Kind.ZIP_BOMB,
              "it expands to far more text than its size allows; refusing a likely zip bomb ("
                  + detail(t)
                  + ")");
      case ZeroByteFileException _ ->
          failure(ParseFailure.Kind.EMPTY, "the file is empty (0 bytes)");
      case UnsupportedFormatException _ ->
          failure(
              ParseFailure.Kind.UNSUPPORTED,
              "this variant of the format is not supported: " + detail(t));
      case AccessDeniedException _ ->
          failure(
              ParseFailure.Kind.UNREADABLE,
              "permission denied; check that the user running Ancla may read the file");
      case NoSuchFileException _ ->
          failure(ParseFailure.Kind.UNREADABLE, "the file disappeared before it could be read");
      case StackOverflowError _ ->
          failure(ParseFailure.Kind.CORRUPT, "its structure is nested too deeply to parse");
      case OutOfMemoryError _ ->
          failure(
              ParseFailure.Kind.TOO_LARGE,
              "parsing it ran out of memory; give Ancla more heap (-Xmx) or lower"
                  + " ANCLA_MAX_FILE_MB");
      default -> null;
    };
  }

  /** An I/O problem reading the file itself, before any parser saw it. */
  static ParseFailure unreadable(IOException e) {
    ParseFailure specific = specific(e);
    if (specific != null) {
      specific.initCause(e);
      return specific;
    }
    return new ParseFailure(ParseFailure.Kind.UNREADABLE, "cannot read the file: " + detail(e), e);
  }

  private static ParseFailure failure(ParseFailure.Kind kind, String message) {
    return new ParseFailure(kind, message);
  }

  /** The innermost message in the chain: the library's own words, short, on one line. */
  static String detail(Throwable problem) {
    String detail = problem.getClass().getSimpleName();
    int depth = 0;
    for (Throwable t = problem; t != null && depth < 32; t = t.getCause(), depth++) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) detail = t.getMessage();
    }
    detail = BlockCollector.normalize(detail);
    return detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL) + "…";
  }
}
