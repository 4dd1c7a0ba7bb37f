package dev.ancla.samples;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TimeZone;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFAbstractNum;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFNumbering;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFRun;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFStyles;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTAbstractNum;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTLvl;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTPPrGeneral;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTRPr;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STNumberFormat;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

/**
 * Writes the binary sample documents of {@code samples/} (PDF, DOCX, ODT) from the plain-text
 * sources in {@code src/test/resources/samples-src/}. The Markdown, HTML and text samples are
 * written by hand and live in {@code samples/} directly.
 *
 * <p>Run after editing a source, then commit the regenerated files:
 *
 * <pre>
 * ./mvnw -q -B test-compile
 * java -cp "target/test-classes:$(cat target/test-classpath.txt)" dev.ancla.samples.SampleDocuments samples
 * </pre>
 *
 * <p>Source format, one element per line: {@code title: ...} (document title metadata), {@code #},
 * {@code ##}, {@code ###} headings, {@code - } bullet items, {@code | a | b |} table rows (the
 * first row of a table is its header), {@code \page} a page break (PDF only), blank lines between
 * paragraphs; consecutive text lines join into one paragraph.
 *
 * <p>Output is reproducible: fixed dates in the metadata, a fixed PDF file identifier and fixed ZIP
 * entry times, so running the program twice gives byte-identical files.
 */
public final class SampleDocuments {

  /** Every date written into the samples' metadata; the project's reproducible-build timestamp. */
  static final LocalDateTime FIXED_TIME = LocalDateTime.of(2026, 11, 25, 0, 0, 0);

  /** Output file name, source resource, language. */
  record Spec(String output, String source, String language) {}

  static final List<Spec> SPECS =
      List.of(
          new Spec("copias-de-seguridad-s3.pdf", "copias-de-seguridad-s3.txt", "es"),
          new Spec("release-notes-0.1.pdf", "release-notes-0.1.txt", "en"),
          new Spec(
              "despliegue-digitalocean-app-platform.docx",
              "despliegue-digitalocean-app-platform.txt",
              "es"),
          new Spec("architecture-overview.docx", "architecture-overview.txt", "en"),
          new Spec("formatos-admitidos.odt", "formatos-admitidos.txt", "es"));

  private SampleDocuments() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "samples");
    for (Path p : writeAll(dir)) {
      System.out.printf(Locale.ROOT, "%8d  %s%n", Files.size(p), p);
    }
  }

  /** Writes every binary sample into dir; returns the files written. */
  public static List<Path> writeAll(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    for (Spec spec : SPECS) {
      Doc doc = Doc.parse(readSource(spec.source()), spec.language());
      byte[] bytes;
      if (spec.output().endsWith(".pdf")) {
        bytes = Pdf.write(doc);
      } else if (spec.output().endsWith(".docx")) {
        bytes = Zips.normalize(Docx.write(doc));
      } else if (spec.output().endsWith(".odt")) {
        bytes = Odt.write(doc);
      } else {
        throw new IllegalArgumentException(spec.output());
      }
      Path out = dir.resolve(spec.output());
      Files.write(out, bytes);
      written.add(out);
    }
    return written;
  }

  static String readSource(String name) throws IOException {
    try (InputStream in = SampleDocuments.class.getResourceAsStream("/samples-src/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource /samples-src/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // source model

  sealed interface Element permits Heading, Para, Bullet, Table, PageBreak {}

  record Heading(int level, String text) implements Element {}

  record Para(String text) implements Element {}

  record Bullet(String text) implements Element {}

  record Table(List<List<String>> rows) implements Element {}

  record PageBreak() implements Element {}

  record Doc(String title, String language, List<Element> elements) {
    static Doc parse(String source, String language) {
      String title = "";
      List<Element> out = new ArrayList<>();
      StringBuilder para = new StringBuilder();
      List<List<String>> table = new ArrayList<>();
      for (String raw : source.split("\n", -1)) {
        String line = raw.strip();
        boolean isTableRow = line.startsWith("|");
        if (!table.isEmpty() && !isTableRow) {
          out.add(new Table(List.copyOf(table)));
          table.clear();
        }
        boolean continuesPara =
            !line.isEmpty()
                && !isTableRow
                && !line.startsWith("#")
                && !line.startsWith("- ")
                && !line.equals("\\page")
                && !line.startsWith("title:");
        if (!continuesPara && !para.isEmpty()) {
          out.add(new Para(para.toString()));
          para.setLength(0);
        }
        if (line.isEmpty()) {
          continue;
        }
        if (line.startsWith("title:")) {
          title = line.substring("title:".length()).strip();
        } else if (line.startsWith("#")) {
          int level = 0;
          while (level < line.length() && line.charAt(level) == '#') {
            level++;
          }
          out.add(new Heading(level, line.substring(level).strip()));
        } else if (line.startsWith("- ")) {
          out.add(new Bullet(line.substring(2).strip()));
        } else if (line.equals("\\page")) {
          out.add(new PageBreak());
        } else if (isTableRow) {
          String inner = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length());
          List<String> cells = new ArrayList<>();
          for (String c : inner.split("\\|")) {
            cells.add(c.strip());
          }
          table.add(List.copyOf(cells));
        } else {
          if (!para.isEmpty()) {
            para.append(' ');
          }
          para.append(line);
        }
      }
      if (!para.isEmpty()) {
        out.add(new Para(para.toString()));
      }
      if (!table.isEmpty()) {
        out.add(new Table(List.copyOf(table)));
      }
      if (title.isEmpty()) {
        throw new IllegalArgumentException("source has no 'title:' line");
      }
      return new Doc(title, language, List.copyOf(out));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // PDF (PDFBox 3, Standard 14 Helvetica, WinAnsiEncoding: covers á é í ó ú ü ñ ¿ ¡ « » •)

  static final class Pdf {
    static final float MARGIN = 64;
    static final float BODY_SIZE = 11;
    static final float LEADING = 1.4f;

    private final PDDocument document;
    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private PDPageContentStream content;
    private float y;
    private int pages;

    private Pdf(PDDocument document) {
      this.document = document;
    }

    static byte[] write(Doc doc) throws IOException {
      try (PDDocument document = new PDDocument()) {
        Pdf pdf = new Pdf(document);
        pdf.render(doc);
        PDDocumentInformation info = document.getDocumentInformation();
        info.setTitle(doc.title());
        info.setAuthor("Ancla");
        info.setSubject("Documentación de ejemplo de Ancla / Ancla sample documentation");
        info.setCreator("dev.ancla.samples.SampleDocuments");
        info.setCreationDate(fixedCalendar());
        info.setModificationDate(fixedCalendar());
        document.getDocumentCatalog().setLanguage(doc.language());
        // PDFBox derives the trailer /ID from the current time unless one is set: fix it.
        byte[] id = md5(doc.title());
        COSArray ids = new COSArray();
        ids.add(new COSString(id));
        ids.add(new COSString(id));
        document.getDocument().getTrailer().setItem(COSName.ID, ids);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        document.save(out);
        return out.toByteArray();
      }
    }

    private void render(Doc doc) throws IOException {
      newPage();
      for (Element e : doc.elements()) {
        switch (e) {
          case Heading h -> {
            float size = h.level() == 1 ? 18 : h.level() == 2 ? 14 : 12;
            float before = h.level() == 1 ? 0 : size * 0.9f;
            // keep a heading together with at least two lines of what follows
            ensureRoom(before + size * LEADING + 2 * BODY_SIZE * LEADING);
            if (y < top()) {
              y -= before;
            }
            block(h.text(), bold, size, 0);
            y -= size * 0.3f;
          }
          case Para p -> {
            block(p.text(), regular, BODY_SIZE, 0);
            y -= BODY_SIZE * 0.6f;
          }
          case Bullet b -> {
            List<String> lines = wrap(b.text(), regular, BODY_SIZE, width() - 16);
            for (int i = 0; i < lines.size(); i++) {
              ensureRoom(BODY_SIZE * LEADING);
              y -= BODY_SIZE * LEADING;
              if (i == 0) {
                text("\u2022", regular, BODY_SIZE, MARGIN + 4, y);
              }
              text(lines.get(i), regular, BODY_SIZE, MARGIN + 16, y);
            }
            y -= BODY_SIZE * 0.3f;
          }
          case Table t -> {
            for (int r = 0; r < t.rows().size(); r++) {
              block(String.join("  |  ", t.rows().get(r)), r == 0 ? bold : regular, BODY_SIZE, 0);
            }
            y -= BODY_SIZE * 0.6f;
          }
          case PageBreak pb -> newPage();
        }
      }
      content.close();
    }

    private void block(String text, PDType1Font font, float size, float indent) throws IOException {
      for (String line : wrap(text, font, size, width() - indent)) {
        ensureRoom(size * LEADING);
        y -= size * LEADING;
        text(line, font, size, MARGIN + indent, y);
      }
    }

    private void text(String s, PDType1Font font, float size, float x, float atY)
        throws IOException {
      content.beginText();
      content.setFont(font, size);
      content.newLineAtOffset(x, atY);
      content.showText(s);
      content.endText();
    }

    private void ensureRoom(float needed) throws IOException {
      if (y - needed < MARGIN) {
        newPage();
      }
    }

    private void newPage() throws IOException {
      if (content != null) {
        content.close();
      }
      PDPage page = new PDPage(PDRectangle.A4);
      document.addPage(page);
      pages++;
      content = new PDPageContentStream(document, page);
      String footer = String.valueOf(pages);
      float fw = regular.getStringWidth(footer) / 1000 * 9;
      text(footer, regular, 9, (PDRectangle.A4.getWidth() - fw) / 2, MARGIN / 2);
      y = top();
    }

    private static float top() {
      return PDRectangle.A4.getHeight() - MARGIN;
    }

    private static float width() {
      return PDRectangle.A4.getWidth() - 2 * MARGIN;
    }

    /** Greedy word wrap by the font's real glyph widths. */
    static List<String> wrap(String text, PDType1Font font, float size, float maxWidth)
        throws IOException {
      List<String> lines = new ArrayList<>();
      StringBuilder line = new StringBuilder();
      for (String word : text.split(" +")) {
        String candidate = line.isEmpty() ? word : line + " " + word;
        if (!line.isEmpty() && font.getStringWidth(candidate) / 1000 * size > maxWidth) {
          lines.add(line.toString());
          line.setLength(0);
          line.append(word);
        } else {
          line.setLength(0);
          line.append(candidate);
        }
      }
      if (!line.isEmpty()) {
        lines.add(line.toString());
      }
      return lines;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // DOCX (POI): a blank XWPFDocument has no styles, so Heading1..3 are defined here with the
  // built-in names "heading 1".."heading 3" and outline levels, which Word and Tika understand.

  static final class Docx {
    static byte[] write(Doc doc) throws IOException {
      try (XWPFDocument document = new XWPFDocument()) {
        XWPFStyles styles = document.createStyles();
        styles.setSpellingLanguage(doc.language().equals("es") ? "es-ES" : "en-US");
        addHeadingStyle(styles, 1, 32);
        addHeadingStyle(styles, 2, 26);
        addHeadingStyle(styles, 3, 24);
        BigInteger bulletList = bulletNumbering(document);

        for (Element e : doc.elements()) {
          switch (e) {
            case Heading h -> {
              XWPFParagraph p = document.createParagraph();
              p.setStyle("Heading" + h.level());
              p.createRun().setText(h.text());
            }
            case Para para -> {
              XWPFParagraph p = document.createParagraph();
              p.setSpacingAfter(160);
              p.createRun().setText(para.text());
            }
            case Bullet b -> {
              XWPFParagraph p = document.createParagraph();
              p.setNumID(bulletList);
              p.setNumILvl(BigInteger.ZERO);
              p.setIndentationLeft(720);
              p.setIndentationHanging(360);
              XWPFRun run = p.createRun();
              run.setText(b.text());
            }
            case Table t -> {
              var table = document.createTable(t.rows().size(), t.rows().getFirst().size());
              for (int r = 0; r < t.rows().size(); r++) {
                for (int c = 0; c < t.rows().get(r).size(); c++) {
                  table.getRow(r).getCell(c).setText(t.rows().get(r).get(c));
                }
              }
            }
            case PageBreak pb -> document.createParagraph().setPageBreak(true);
          }
        }

        var core = document.getProperties().getCoreProperties();
        core.setTitle(doc.title());
        core.setCreator("Ancla");
        core.setDescription("Documentación de ejemplo de Ancla / Ancla sample documentation");
        core.setCreated(Optional.of(fixedDate()));
        core.setModified(Optional.of(fixedDate()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        document.write(out);
        return out.toByteArray();
      }
    }

    private static void addHeadingStyle(XWPFStyles styles, int level, int halfPoints) {
      CTStyle ct = CTStyle.Factory.newInstance();
      ct.setStyleId("Heading" + level);
      ct.setType(STStyleType.PARAGRAPH);
      ct.addNewName().setVal("heading " + level);
      ct.addNewBasedOn().setVal("Normal");
      ct.addNewNext().setVal("Normal");
      ct.addNewUiPriority().setVal(BigInteger.valueOf(9));
      ct.addNewQFormat();
      CTPPrGeneral ppr = ct.addNewPPr();
      ppr.addNewKeepNext();
      ppr.addNewOutlineLvl().setVal(BigInteger.valueOf(level - 1));
      var spacing = ppr.addNewSpacing();
      spacing.setBefore(BigInteger.valueOf(level == 1 ? 240 : 200));
      spacing.setAfter(BigInteger.valueOf(80));
      CTRPr rpr = ct.addNewRPr();
      rpr.addNewB();
      rpr.addNewSz().setVal(BigInteger.valueOf(halfPoints));
      styles.addStyle(new XWPFStyle(ct, styles));
    }

    private static BigInteger bulletNumbering(XWPFDocument document) {
      CTAbstractNum abs = CTAbstractNum.Factory.newInstance();
      abs.setAbstractNumId(BigInteger.ZERO);
      CTLvl lvl = abs.addNewLvl();
      lvl.setIlvl(BigInteger.ZERO);
      lvl.addNewNumFmt().setVal(STNumberFormat.BULLET);
      lvl.addNewLvlText().setVal("\u2022");
      lvl.addNewStart().setVal(BigInteger.ONE);
      XWPFNumbering numbering = document.createNumbering();
      BigInteger absId = numbering.addAbstractNum(new XWPFAbstractNum(abs, numbering));
      return numbering.addNum(absId);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // ODT, written by hand: mimetype (stored, first), manifest, meta, styles, content.

  static final class Odt {
    static final String NS =
        " xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
            + " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""
            + " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""
            + " xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""
            + " xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\""
            + " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
            + " xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\""
            + " office:version=\"1.3\"";

    static byte[] write(Doc doc) throws IOException {
      String date = FIXED_TIME.toString() + ":00";
      String manifest =
          """
          <?xml version="1.0" encoding="UTF-8"?>
          <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
           <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/>
           <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
           <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
           <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
          </manifest:manifest>
          """;
      String meta =
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta"
              + NS
              + "><office:meta>"
              + "<meta:generator>dev.ancla.samples.SampleDocuments</meta:generator>"
              + "<dc:title>"
              + xml(doc.title())
              + "</dc:title>"
              + "<dc:creator>Ancla</dc:creator>"
              + "<meta:creation-date>"
              + date
              + "</meta:creation-date>"
              + "<dc:date>"
              + date
              + "</dc:date>"
              + "<dc:language>"
              + doc.language()
              + "</dc:language>"
              + "</office:meta></office:document-meta>\n";
      StringBuilder styles = new StringBuilder();
      styles
          .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles")
          .append(NS)
          .append("><office:styles>")
          .append("<style:default-style style:family=\"paragraph\"><style:text-properties")
          .append(" fo:language=\"")
          .append(doc.language())
          .append("\" fo:font-size=\"11pt\"/></style:default-style>");
      for (int level = 1; level <= 3; level++) {
        styles
            .append("<style:style style:name=\"Heading_20_")
            .append(level)
            .append("\" style:display-name=\"Heading ")
            .append(level)
            .append("\" style:family=\"paragraph\" style:default-outline-level=\"")
            .append(level)
            .append("\"><style:text-properties fo:font-weight=\"bold\" fo:font-size=\"")
            .append(level == 1 ? "18pt" : level == 2 ? "14pt" : "12pt")
            .append("\"/></style:style>");
      }
      styles
          .append("<style:style style:name=\"Table_20_Heading\" style:display-name=\"Table")
          .append(" Heading\" style:family=\"paragraph\"><style:text-properties")
          .append(" fo:font-weight=\"bold\"/></style:style>")
          .append("</office:styles></office:document-styles>\n");

      StringBuilder body = new StringBuilder();
      body.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content")
          .append(NS)
          .append("><office:body><office:text>");
      int tables = 0;
      boolean inList = false;
      for (Element e : doc.elements()) {
        if (inList && !(e instanceof Bullet)) {
          body.append("</text:list>");
          inList = false;
        }
        switch (e) {
          case Heading h ->
              body.append("<text:h text:style-name=\"Heading_20_")
                  .append(h.level())
                  .append("\" text:outline-level=\"")
                  .append(h.level())
                  .append("\">")
                  .append(xml(h.text()))
                  .append("</text:h>");
          case Para p -> body.append("<text:p>").append(xml(p.text())).append("</text:p>");
          case Bullet b -> {
            if (!inList) {
              body.append("<text:list>");
              inList = true;
            }
            body.append("<text:list-item><text:p>")
                .append(xml(b.text()))
                .append("</text:p></text:list-item>");
          }
          case Table t -> {
            tables++;
            int cols = t.rows().getFirst().size();
            body.append("<table:table table:name=\"Tabla")
                .append(tables)
                .append("\"><table:table-column table:number-columns-repeated=\"")
                .append(cols)
                .append("\"/>");
            for (int r = 0; r < t.rows().size(); r++) {
              if (r == 0) {
                body.append("<table:table-header-rows>");
              }
              body.append("<table:table-row>");
              for (String cell : t.rows().get(r)) {
                body.append("<table:table-cell office:value-type=\"string\"><text:p")
                    .append(r == 0 ? " text:style-name=\"Table_20_Heading\"" : "")
                    .append(">")
                    .append(xml(cell))
                    .append("</text:p></table:table-cell>");
              }
              body.append("</table:table-row>");
              if (r == 0) {
                body.append("</table:table-header-rows>");
              }
            }
            body.append("</table:table>");
          }
          case PageBreak pb -> {}
        }
      }
      if (inList) {
        body.append("</text:list>");
      }
      body.append("</office:text></office:body></office:document-content>\n");

      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
        Zips.put(zip, "mimetype", "application/vnd.oasis.opendocument.text", true);
        Zips.put(zip, "META-INF/manifest.xml", manifest, false);
        Zips.put(zip, "meta.xml", meta, false);
        Zips.put(zip, "styles.xml", styles.toString(), false);
        Zips.put(zip, "content.xml", body.toString(), false);
      }
      return bytes.toByteArray();
    }

    static String xml(String s) {
      return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // ZIP helpers: fixed entry times (DOS local time, no extended timestamp, so no time zone effect)

  static final class Zips {
    static void put(ZipOutputStream zip, String name, String text, boolean stored)
        throws IOException {
      put(zip, name, text.getBytes(StandardCharsets.UTF_8), stored);
    }

    static void put(ZipOutputStream zip, String name, byte[] data, boolean stored)
        throws IOException {
      ZipEntry entry = new ZipEntry(name);
      entry.setTimeLocal(FIXED_TIME);
      if (stored) {
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        entry.setCrc(crc.getValue());
      }
      zip.putNextEntry(entry);
      zip.write(data);
      zip.closeEntry();
    }

    /** Rewrites a ZIP with the same entries in the same order, each with {@link #FIXED_TIME}. */
    static byte[] normalize(byte[] zipBytes) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zipBytes));
          ZipOutputStream zip = new ZipOutputStream(out)) {
        for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
          put(zip, e.getName(), in.readAllBytes(), false);
        }
      }
      return out.toByteArray();
    }
  }

  // ---------------------------------------------------------------------------------------------

  static Calendar fixedCalendar() {
    Calendar c = new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.ROOT);
    c.setTimeInMillis(fixedDate().getTime());
    return c;
  }

  static Date fixedDate() {
    return Date.from(FIXED_TIME.toInstant(ZoneOffset.UTC));
  }

  static byte[] md5(String s) {
    try {
      return MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
