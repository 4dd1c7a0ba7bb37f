package dev.ancla.ingest.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns the XHTML that Tika emits into {@link Block}s: {@code <h1>}-{@code <h6>} become headings;
 * every other block element ({@code <p>}, {@code <li>}, {@code <div>}, ...) ends a paragraph; a
 * table row becomes one paragraph with its cells joined by {@code " | "}.
 *
 * <p>Pages, as Tika 3.3 marks them: PDF pages are {@code <div class="page">}, PPTX slides {@code
 * <div class="slide-content">} (their notes follow in the same slide), XLSX sheets {@code <div
 * class="sheet">}. ODP slides are plain {@code <div>}s directly under {@code <body>}, so for
 * presentations the caller asks for {@link PageMarks#BODY_DIVS}.
 *
 * <p>Stops the parse by throwing {@link Stop} once the collector is full or the thread is
 * interrupted; the caller tells the two apart. One instance per parse.
 */
final class StructureHandler extends DefaultHandler {
  enum PageMarks {
    /** {@code <div class="page|slide-content|sheet">} starts the next page. */
    CLASSES,
    /** Every {@code <div>} directly under {@code <body>} starts the next page (ODP). */
    BODY_DIVS
  }

  /** Thrown to end the parse early; never escapes {@link TikaDocumentParser}. */
  static final class Stop extends SAXException {
    Stop(String why) {
      super(why);
    }
  }

  private static final Set<String> PAGE_CLASSES = Set.of("page", "slide-content", "sheet");

  /** Tika's markers of content that is not the document's own text. */
  private static final Set<String> SKIPPED_CLASSES = Set.of("embedded", "slide-master-content");

  private static final Set<String> BLOCKS =
      Set.of(
          "address",
          "article",
          "aside",
          "blockquote",
          "body",
          "caption",
          "dd",
          "div",
          "dl",
          "dt",
          "figcaption",
          "figure",
          "footer",
          "header",
          "li",
          "main",
          "ol",
          "p",
          "pre",
          "section",
          "table",
          "tbody",
          "tfoot",
          "thead",
          "ul");

  /** What PowerPoint's slide-number placeholder says in notes and masters: noise, not text. */
  private static final String SLIDE_NUMBER_FIELD = "‹#›";

  /** A text run longer than this without a block boundary is handed over in pieces. */
  private static final int FLUSH_AT = 64 * 1024;

  private final BlockCollector out;
  private final PageMarks pageMarks;
  private final StringBuilder text = new StringBuilder();
  private final List<String> cells = new ArrayList<>();
  private int headingLevel; // of the heading being read, 0 outside headings
  private int rowDepth; // > 1 only in a table nested in a cell, which joins its outer cell
  private int skipDepth; // > 0 inside <head> or skipped content
  private int bodyDepth; // element depth below <body>
  private int page;

  StructureHandler(BlockCollector out, PageMarks pageMarks) {
    this.out = out;
    this.pageMarks = pageMarks;
  }

  @Override
  public void startElement(String uri, String localName, String qName, Attributes atts)
      throws SAXException {
    checkInterrupted();
    String name = name(localName, qName);
    if (skipDepth > 0 || name.equals("head") || hasClass(atts, SKIPPED_CLASSES)) {
      skipDepth++;
      return;
    }
    if (bodyDepth > 0) bodyDepth++;
    if (name.equals("body")) bodyDepth = 1;
    if (startsPage(name, atts)) {
      flush();
      out.page(++page);
    }
    if (rowDepth > 0) {
      startInRow(name);
    } else if (name.equals("tr")) {
      flush();
      rowDepth = 1;
      cells.clear();
    } else if (headingLevel(name) > 0) {
      flush();
      headingLevel = headingLevel(name);
    } else if (BLOCKS.contains(name)) {
      flush();
    } else if (name.equals("br")) {
      text.append('\n');
    }
  }

  private void startInRow(String name) {
    if (name.equals("tr")) rowDepth++;
    if ((name.equals("td") || name.equals("th")) && rowDepth == 1) {
      text.setLength(0); // only whitespace between cells
    } else {
      text.append(' ');
    }
  }

  @Override
  public void endElement(String uri, String localName, String qName) throws SAXException {
    if (skipDepth > 0) {
      skipDepth--;
      return;
    }
    if (bodyDepth > 0) bodyDepth--;
    String name = name(localName, qName);
    if (rowDepth > 0) {
      endInRow(name);
    } else if (headingLevel(name) > 0 || BLOCKS.contains(name)) {
      flush();
    }
  }

  private void endInRow(String name) throws SAXException {
    if ((name.equals("td") || name.equals("th")) && rowDepth == 1) {
      cells.add(BlockCollector.normalize(text));
      text.setLength(0);
    } else if (name.equals("tr") && --rowDepth == 0) {
      if (!text.isEmpty()) cells.add(BlockCollector.normalize(text)); // text outside cells
      text.setLength(0);
      var row = cells.stream().filter(c -> !c.isEmpty()).toList();
      if (!out.paragraph(String.join(" | ", row))) throw new Stop("character limit reached");
    } else {
      text.append(' ');
    }
  }

  @Override
  public void characters(char[] ch, int start, int length) throws SAXException {
    checkInterrupted();
    if (skipDepth > 0) return;
    text.append(ch, start, length);
    if (text.length() > FLUSH_AT && rowDepth == 0) flushUpToLastSpace();
  }

  @Override
  public void ignorableWhitespace(char[] ch, int start, int length) {
    if (skipDepth == 0) text.append('\n');
  }

  @Override
  public void endDocument() throws SAXException {
    flush();
  }

  private void flush() throws SAXException {
    if (text.length() < 16 && BlockCollector.normalize(text).equals(SLIDE_NUMBER_FIELD)) {
      text.setLength(0);
    }
    boolean accepting = headingLevel > 0 ? out.heading(headingLevel, text) : out.paragraph(text);
    text.setLength(0);
    headingLevel = 0;
    if (!accepting) throw new Stop("character limit reached");
  }

  /** Keeps the last, possibly unfinished word for the next piece. */
  private void flushUpToLastSpace() throws SAXException {
    int cut = Math.max(text.lastIndexOf(" "), text.lastIndexOf("\n"));
    if (cut < FLUSH_AT / 2) cut = text.length();
    String rest = text.substring(cut);
    text.setLength(cut);
    int level = headingLevel;
    flush();
    headingLevel = level;
    text.append(rest);
  }

  private boolean startsPage(String name, Attributes atts) {
    if (!name.equals("div")) return false;
    return switch (pageMarks) {
      case CLASSES -> hasClass(atts, PAGE_CLASSES);
      case BODY_DIVS -> bodyDepth == 2;
    };
  }

  private static boolean hasClass(Attributes atts, Set<String> classes) {
    String value = atts.getValue("class");
    if (value == null) return false;
    for (String token : value.split("\\s+")) {
      if (classes.contains(token)) return true;
    }
    return false;
  }

  private static int headingLevel(String name) {
    if (name.length() == 2
        && name.charAt(0) == 'h'
        && name.charAt(1) >= '1'
        && name.charAt(1) <= '6') {
      return name.charAt(1) - '0';
    }
    return 0;
  }

  private static String name(String localName, String qName) {
    return (localName == null || localName.isEmpty() ? qName : localName)
        .toLowerCase(java.util.Locale.ROOT);
  }

  private static void checkInterrupted() throws Stop {
    if (Thread.currentThread().isInterrupted()) {
      throw new Stop("parse abandoned");
    }
  }
}
