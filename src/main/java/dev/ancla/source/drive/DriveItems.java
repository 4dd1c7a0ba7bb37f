package dev.ancla.source.drive;

import com.google.api.services.drive.model.File;
import dev.ancla.source.SourceItem;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

/** How a Drive file becomes a {@link SourceItem}, and what its content is fetched as. */
final class DriveItems {
  static final String DOC = "application/vnd.google-apps.document";
  static final String SHEET = "application/vnd.google-apps.spreadsheet";
  static final String SLIDES = "application/vnd.google-apps.presentation";
  static final String MARKDOWN = "text/markdown";
  static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  static final String PPTX =
      "application/vnd.openxmlformats-officedocument.presentationml.presentation";

  /**
   * Native types and what they are exported as: Docs as Markdown (headings survive for chunks and
   * citations), Sheets as XLSX (CSV would hold the first tab only), Slides as PPTX.
   */
  static final Map<String, String> EXPORTS = Map.of(DOC, MARKDOWN, SHEET, XLSX, SLIDES, PPTX);

  private DriveItems() {}

  /** Empty for types with no content to index (forms, drawings, sites, folders, shortcuts). */
  static Optional<SourceItem> item(File file, String path) {
    String mime = file.getMimeType() == null ? "" : file.getMimeType();
    String export = EXPORTS.get(mime);
    if (export == null && mime.startsWith("application/vnd.google-apps.")) {
      return Optional.empty();
    }
    String version =
        file.getVersion() != null
            ? "v" + file.getVersion()
            : file.getModifiedTime() == null ? "" : file.getModifiedTime().toStringRfc3339();
    boolean binary = export == null;
    return Optional.of(
        new SourceItem(
            file.getId(),
            path,
            version,
            binary ? (file.getSize() == null ? 0 : file.getSize()) : -1,
            Optional.of(binary ? mime : export).filter(m -> !m.isEmpty()),
            binary ? Optional.ofNullable(file.getMd5Checksum()) : Optional.empty(),
            link(file.getWebViewLink())));
  }

  /** The export type when the item is a native file (listed with size -1), else empty. */
  static Optional<String> exportType(SourceItem item) {
    if (item.size() >= 0) {
      return Optional.empty();
    }
    return item.mediaType().filter(EXPORTS::containsValue);
  }

  private static Optional<URI> link(String raw) {
    if (raw == null || raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new URI(raw));
    } catch (URISyntaxException _) {
      return Optional.empty();
    }
  }
}
