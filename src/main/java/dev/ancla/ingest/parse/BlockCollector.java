package dev.ancla.ingest.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the blocks of one document: normalizes whitespace, drops blank text, splits overlong
 * paragraphs, and stops at the character limit. One instance per parse; not thread-safe.
 *
 * <p>Once the limit is reached every further add is ignored and returns false, so a producer can
 * stop reading early.
 */
final class BlockCollector {
  /** A paragraph longer than this is split, preferably at line breaks. */
  static final int MAX_PARAGRAPH = 2_000;

  /** Split pieces are packed up to about this size, so they stay reasonable paragraphs. */
  static final int TARGET_PARAGRAPH = 1_000;

  private final int maxChars;
  private final List<Block> blocks = new ArrayList<>();
  private long chars;
  private int page;
  private boolean truncated;

  BlockCollector(int maxChars) {
    this.maxChars = maxChars;
  }

  /** Blocks added from now on belong to this 1-based page; 0 means "no pages". */
  void page(int page) {
    this.page = page;
  }

  int page() {
    return page;
  }

  /** True while the character limit has not been reached. */
  boolean accepting() {
    return !truncated;
  }

  boolean truncated() {
    return truncated;
  }

  List<Block> blocks() {
    return List.copyOf(blocks);
  }

  /** The text of the first heading, or "". */
  String firstHeading() {
    return blocks.stream()
        .filter(b -> b.kind() == Block.Kind.HEADING)
        .map(Block::text)
        .findFirst()
        .orElse("");
  }

  /** Adds a heading of level 1-6 (clamped); returns {@link #accepting()}. */
  boolean heading(int level, CharSequence raw) {
    String text = normalize(raw);
    if (!text.isEmpty()) add(Block.Kind.HEADING, Math.clamp(level, 1, 6), text);
    return accepting();
  }

  /**
   * Adds a paragraph; one longer than {@link #MAX_PARAGRAPH} becomes several, cut at line breaks of
   * {@code raw} where it has them, else at spaces. Returns {@link #accepting()}.
   */
  boolean paragraph(CharSequence raw) {
    if (raw.length() <= MAX_PARAGRAPH) return addParagraph(raw);
    var piece = new StringBuilder();
    for (String line : raw.toString().split("\n")) {
      for (String part : cut(line)) {
        if (piece.length() + part.length() > TARGET_PARAGRAPH && !piece.isEmpty()) {
          if (!addParagraph(piece)) return false;
          piece.setLength(0);
        }
        piece.append(part).append('\n');
      }
    }
    return addParagraph(piece);
  }

  private boolean addParagraph(CharSequence raw) {
    String text = normalize(raw);
    if (!text.isEmpty()) add(Block.Kind.PARAGRAPH, 0, text);
    return accepting();
  }

  /** Cuts one line into parts of at most MAX_PARAGRAPH characters, at spaces where possible. */
  private static List<String> cut(String line) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    while (line.length() - start > MAX_PARAGRAPH) {
      int end = line.lastIndexOf(' ', start + TARGET_PARAGRAPH);
      if (end <= start) end = start + TARGET_PARAGRAPH;
      parts.add(line.substring(start, end));
      start = end;
    }
    parts.add(line.substring(start));
    return parts;
  }

  private void add(Block.Kind kind, int level, String text) {
    if (truncated) return;
    long room = maxChars - chars;
    if (text.length() > room) {
      text = shorten(text, (int) room);
      truncated = true;
      if (text.isEmpty()) return;
    }
    chars += text.length();
    blocks.add(new Block(kind, level, text, page));
  }

  /** At most {@code room} characters, ending at a word boundary unless that loses too much. */
  private static String shorten(String text, int room) {
    if (room <= 0) return "";
    int space = text.lastIndexOf(' ', room);
    int end = space > room * 0.8 ? space : room;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) end--; // keep pairs whole
    return text.substring(0, end).strip();
  }

  /**
   * Collapses every run of whitespace (line breaks, tabs, no-break spaces) to one space, drops
   * control characters, and strips both ends.
   */
  static String normalize(CharSequence raw) {
    var out = new StringBuilder(raw.length());
    boolean pendingSpace = false;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        pendingSpace = true;
      } else if (Character.isISOControl(c) || c == '\uFEFF') {
        // NUL, form feeds from PDFs, a stray byte order mark: not text
      } else {
        if (pendingSpace && !out.isEmpty()) out.append(' ');
        pendingSpace = false;
        out.append(c);
      }
    }
    return out.toString();
  }
}
