package dev.ancla.ingest.parse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.apache.tika.detect.Detector;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypeException;
import org.apache.tika.mime.MimeTypes;

/**
 * Decides how a file is read, from its bytes first and its name second, and refuses what has no
 * text: images, audio, video, fonts, executables, archives, and binary data in no known format (a
 * random file named {@code .pdf} is "binary data", not a corrupt PDF). Thread-safe.
 */
final class FormatDetector {
  enum Route {
    /** Tika's parser for the type, through {@link StructureHandler}. */
    TIKA,
    MARKDOWN,
    PLAIN_TEXT,
    CSV
  }

  record Format(Route route, MediaType type) {}

  private static final Set<String> NO_TEXT_FAMILIES = Set.of("image", "audio", "video", "font");

  private static final Set<String> ARCHIVES =
      Set.of(
          "application/zip",
          "application/gzip",
          "application/x-gzip",
          "application/x-tar",
          "application/x-bzip2",
          "application/x-xz",
          "application/x-7z-compressed",
          "application/x-rar-compressed",
          "application/vnd.rar",
          "application/java-archive",
          "application/x-iso9660-image");

  /** Besides the archives. */
  private static final Set<String> NO_TEXT_TYPES =
      Set.of(
          "application/x-executable",
          "application/x-sharedlib",
          "application/x-object",
          "application/x-coredump",
          "application/x-msdownload",
          "application/x-dosexec",
          "application/x-mach-o-executable",
          "application/java-vm",
          "application/x-sqlite3",
          "application/vnd.sqlite3");

  private static final Set<String> MARKDOWN_EXTENSIONS = Set.of("md", "markdown", "mdown", "mkd");
  private static final Set<String> CSV_EXTENSIONS = Set.of("csv", "tsv");

  private final Detector detector;

  FormatDetector(Detector detector) {
    this.detector = detector;
  }

  Format detect(Path file, String name) throws IOException, ParseFailure {
    MediaType sniffed = detect(file, new Metadata()); // the bytes alone
    var named = new Metadata();
    named.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName(name));
    MediaType type = detect(file, named).getBaseType();
    if (sniffed.equals(MediaType.OCTET_STREAM)) {
      throw new ParseFailure(ParseFailure.Kind.UNSUPPORTED, binary(type, name));
    }
    String extension = extension(name);
    boolean text = sniffed.getBaseType().equals(MediaType.TEXT_PLAIN);
    if (text
        && (MARKDOWN_EXTENSIONS.contains(extension) || type.getSubtype().contains("markdown"))) {
      return new Format(Route.MARKDOWN, type);
    }
    if (text && (CSV_EXTENSIONS.contains(extension) || type.toString().equals("text/csv"))) {
      return new Format(Route.CSV, type);
    }
    if (type.equals(MediaType.TEXT_PLAIN) || (text && type.toString().equals("application/json"))) {
      return new Format(Route.PLAIN_TEXT, type);
    }
    if (NO_TEXT_FAMILIES.contains(type.getType())
        || NO_TEXT_TYPES.contains(type.toString())
        || ARCHIVES.contains(type.toString())) {
      throw new ParseFailure(ParseFailure.Kind.NOT_A_DOCUMENT, noText(type));
    }
    return new Format(Route.TIKA, type);
  }

  private MediaType detect(Path file, Metadata metadata) throws IOException {
    try (var in = TikaInputStream.get(file)) {
      return detector.detect(in, metadata);
    }
  }

  private static String binary(MediaType named, String name) {
    String message =
        "the content is binary data in no format Ancla can read (no known file signature)";
    if (named.equals(MediaType.OCTET_STREAM)) return message;
    return message
        + "; its name suggests "
        + describe(named)
        + ", but the bytes are not in that format. Check that the file was copied completely and"
        + " has the right extension";
  }

  private static String noText(MediaType type) {
    String advice =
        switch (type.getType()) {
          case "image" -> "images have no text to index (OCR is not enabled)";
          case "audio", "video", "font" -> "it has no text to index";
          default ->
              ARCHIVES.contains(type.toString())
                  ? "archives are not unpacked; extract it into the source folder instead"
                  : "programs, libraries and databases have no text to index";
        };
    return "the file is " + describe(type) + "; " + advice;
  }

  /** "PDF document (application/pdf)", or just the type when Tika has no description. */
  static String describe(MediaType type) {
    try {
      String description =
          MimeTypes.getDefaultMimeTypes().forName(type.toString()).getDescription();
      if (!description.isBlank()) return description + " (" + type + ")";
    } catch (MimeTypeException _) {
      // no description: the type alone says enough
    }
    return type.toString();
  }

  private static String fileName(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  private static String extension(String name) {
    String file = fileName(name);
    int dot = file.lastIndexOf('.');
    return dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
