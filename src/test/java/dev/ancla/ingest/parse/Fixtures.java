package dev.ancla.ingest.parse;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

/**
 * Writes real documents for parser tests: binary formats through PDFBox and POI, ZIP-based ones
 * (OpenDocument, EPUB) through java.util.zip, text formats by hand. Every method writes one file
 * into {@code dir} and returns its path; the text each contains is in the method's comment.
 */
public final class Fixtures {
  private Fixtures() {}

  /** Page 1: "Ancla indexes documents"; page 2: "Second page about anchors"; title "Ancla PDF". */
  public static Path pdf(Path dir) throws IOException {
    Path file = dir.resolve("two-pages.pdf");
    try (var doc = new PDDocument()) {
      addTextPage(doc, "Ancla indexes documents", "The first page explains the idea.");
      addTextPage(doc, "Second page about anchors", "It holds the rest of the text.");
      var info = new PDDocumentInformation();
      info.setTitle("Ancla PDF");
      doc.setDocumentInformation(info);
      doc.save(file.toFile());
    }
    return file;
  }

  /** A PDF that opens only with the user password "secret". */
  public static Path encryptedPdf(Path dir) throws IOException {
    Path file = dir.resolve("locked.pdf");
    try (var doc = new PDDocument()) {
      addTextPage(doc, "Confidential salaries", "Nobody should read this.");
      var policy = new StandardProtectionPolicy("owner-secret", "secret", new AccessPermission());
      policy.setEncryptionKeyLength(128);
      doc.protect(policy);
      doc.save(file.toFile());
    }
    return file;
  }

  /** A valid PDF whose only page draws a filled rectangle: no text, like a scan. */
  public static Path imageOnlyPdf(Path dir) throws IOException {
    Path file = dir.resolve("scan.pdf");
    try (var doc = new PDDocument()) {
      var page = new PDPage();
      doc.addPage(page);
      try (var content = new PDPageContentStream(doc, page)) {
        content.addRect(100, 100, 300, 400);
        content.fill();
      }
      doc.save(file.toFile());
    }
    return file;
  }

  /** The first {@code keep} bytes of {@link #pdf}: a header, no trailer, no pages. */
  public static Path truncatedPdf(Path dir, int keep) throws IOException {
    byte[] whole = Files.readAllBytes(pdf(dir));
    Path file = dir.resolve("truncated.pdf");
    Files.write(file, Arrays.copyOf(whole, Math.min(keep, whole.length)));
    return file;
  }

  private static void addTextPage(PDDocument doc, String... lines) throws IOException {
    var page = new PDPage();
    doc.addPage(page);
    try (var content = new PDPageContentStream(doc, page)) {
      content.beginText();
      content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 14);
      content.setLeading(20);
      content.newLineAtOffset(72, 700);
      for (String line : lines) {
        content.showText(line);
        content.newLine();
      }
      content.endText();
    }
  }

  /**
   * Title "Manual de Ancla"; Heading 1 "Instalación", body "Ancla runs on Java 25.", Heading 2
   * "Requisitos", body "Two cores and 2 GB of memory.", a 2x2 table "Clave | Valor", "puerto |
   * 8080".
   */
  public static Path docx(Path dir) throws IOException {
    Path file = dir.resolve("manual.docx");
    try (var doc = new XWPFDocument();
        var out = Files.newOutputStream(file)) {
      var styles = doc.createStyles();
      styles.addStyle(headingStyle("Heading1", "heading 1"));
      styles.addStyle(headingStyle("Heading2", "heading 2"));
      doc.getProperties().getCoreProperties().setTitle("Manual de Ancla");
      paragraph(doc, "Heading1", "Instalación");
      paragraph(doc, null, "Ancla runs on Java 25.");
      paragraph(doc, "Heading2", "Requisitos");
      paragraph(doc, null, "Two cores and 2 GB of memory.");
      var table = doc.createTable(2, 2);
      table.getRow(0).getCell(0).setText("Clave");
      table.getRow(0).getCell(1).setText("Valor");
      table.getRow(1).getCell(0).setText("puerto");
      table.getRow(1).getCell(1).setText("8080");
      doc.write(out);
    }
    return file;
  }

  /** {@link #docx} encrypted with the password "secret" (agile encryption, as Word does). */
  public static Path encryptedDocx(Path dir) throws Exception {
    Path plain = docx(dir);
    Path file = dir.resolve("locked.docx");
    var info = new EncryptionInfo(EncryptionMode.agile);
    var encryptor = info.getEncryptor();
    encryptor.confirmPassword("secret");
    try (var fs = new POIFSFileSystem()) {
      try (var encrypted = encryptor.getDataStream(fs)) {
        Files.copy(plain, encrypted); // the whole OOXML package is the encrypted payload
      }
      try (var out = Files.newOutputStream(file)) {
        fs.writeFilesystem(out);
      }
    }
    return file;
  }

  private static XWPFStyle headingStyle(String id, String name) {
    var style = CTStyle.Factory.newInstance();
    style.setStyleId(id);
    style.setType(STStyleType.PARAGRAPH);
    style.addNewName().setVal(name);
    return new XWPFStyle(style);
  }

  private static void paragraph(XWPFDocument doc, String styleId, String text) {
    var paragraph = doc.createParagraph();
    if (styleId != null) paragraph.setStyle(styleId);
    paragraph.createRun().setText(text);
  }

  /** Sheet "Ventas": rows "Producto | Unidades", "ancla | 12", "cadena | 7"; sheet "Notas". */
  public static Path xlsx(Path dir) throws IOException {
    Path file = dir.resolve("ventas.xlsx");
    try (var book = new XSSFWorkbook();
        var out = Files.newOutputStream(file)) {
      var sales = book.createSheet("Ventas");
      Object[][] rows = {{"Producto", "Unidades"}, {"ancla", 12}, {"cadena", 7}};
      for (int r = 0; r < rows.length; r++) {
        var row = sales.createRow(r);
        for (int c = 0; c < rows[r].length; c++) {
          switch (rows[r][c]) {
            case String s -> row.createCell(c).setCellValue(s);
            case Integer i -> row.createCell(c).setCellValue(i);
            default -> throw new AssertionError(rows[r][c]);
          }
        }
      }
      book.createSheet("Notas").createRow(0).createCell(0).setCellValue("Revisar en enero");
      book.write(out);
    }
    return file;
  }

  /**
   * Slide 1 "Primera diapositiva" / "Hola desde la uno"; slide 2 "Segunda" / "Adiós desde la dos";
   * each with the speaker note "Nota: " and its title.
   */
  public static Path pptx(Path dir) throws IOException {
    Path file = dir.resolve("charla.pptx");
    try (var show = new XMLSlideShow();
        var out = Files.newOutputStream(file)) {
      slide(show, "Primera diapositiva", "Hola desde la uno");
      slide(show, "Segunda", "Adiós desde la dos");
      show.write(out);
    }
    return file;
  }

  private static void slide(XMLSlideShow show, String title, String body) {
    var slide = show.createSlide();
    var titleBox = slide.createTextBox();
    titleBox.setAnchor(new java.awt.Rectangle(50, 50, 600, 60));
    titleBox.setText(title);
    var bodyBox = slide.createTextBox();
    bodyBox.setAnchor(new java.awt.Rectangle(50, 150, 600, 300));
    bodyBox.setText(body);
    var notes = show.getNotesSlide(slide);
    for (var placeholder : notes.getPlaceholders()) {
      switch (placeholder.getPlaceholder()) {
        case BODY -> placeholder.setText("Nota: " + title);
        case DATETIME -> notes.removeShape(placeholder); // POI's template date, "1.7.2013"
        case null, default -> {} // the slide number "‹#›" stays: real decks have it too
      }
    }
  }

  /** Heading 1 "Informe anual", paragraph "El puerto creció un 12 %.", list item "Más barcos". */
  public static Path odt(Path dir) throws IOException {
    String body =
        """
        <office:text>
          <text:h text:outline-level="1">Informe anual</text:h>
          <text:p>El puerto creció un 12 %.</text:p>
          <text:list><text:list-item><text:p>Más barcos</text:p></text:list-item></text:list>
        </office:text>\
        """;
    return openDocument(
        dir.resolve("informe.odt"), "application/vnd.oasis.opendocument.text", body);
  }

  /** Sheet "Hoja1" with rows "Nombre | Edad" and "Lucía | 34". */
  public static Path ods(Path dir) throws IOException {
    String body =
        """
        <office:spreadsheet>
          <table:table table:name="Hoja1">
            <table:table-row>
              <table:table-cell office:value-type="string"><text:p>Nombre</text:p></table:table-cell>
              <table:table-cell office:value-type="string"><text:p>Edad</text:p></table:table-cell>
            </table:table-row>
            <table:table-row>
              <table:table-cell office:value-type="string"><text:p>Lucía</text:p></table:table-cell>
              <table:table-cell office:value-type="float" office:value="34"><text:p>34</text:p></table:table-cell>
            </table:table-row>
          </table:table>
        </office:spreadsheet>\
        """;
    return openDocument(
        dir.resolve("personas.ods"), "application/vnd.oasis.opendocument.spreadsheet", body);
  }

  /** Two slides: "Bienvenida a Ancla" and "Segunda lámina de la charla". */
  public static Path odp(Path dir) throws IOException {
    String body =
        """
        <office:presentation>
          <draw:page draw:name="page1">
            <draw:frame><draw:text-box><text:p>Bienvenida a Ancla</text:p></draw:text-box></draw:frame>
          </draw:page>
          <draw:page draw:name="page2">
            <draw:frame><draw:text-box><text:p>Segunda lámina de la charla</text:p></draw:text-box></draw:frame>
          </draw:page>
        </office:presentation>\
        """;
    return openDocument(
        dir.resolve("charla.odp"), "application/vnd.oasis.opendocument.presentation", body);
  }

  private static Path openDocument(Path file, String mimeType, String body) throws IOException {
    String content =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document-content
            xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
            xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
            xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
            xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
            office:version="1.2">
        <office:body>
        %s
        </office:body>
        </office:document-content>
        """
            .formatted(body);
    String manifest =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
          <manifest:file-entry manifest:full-path="/" manifest:media-type="%s"/>
          <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
        </manifest:manifest>
        """
            .formatted(mimeType);
    writeZip(
        file,
        mimeType,
        List.of(new Entry("content.xml", content), new Entry("META-INF/manifest.xml", manifest)));
    return file;
  }

  /** Title "El faro"; chapter 1 heading "Capítulo uno", paragraph "La luz gira toda la noche." */
  public static Path epub(Path dir) throws IOException {
    Path file = dir.resolve("faro.epub");
    String container =
        """
        <?xml version="1.0"?>
        <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
          <rootfiles>
            <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
          </rootfiles>
        </container>
        """;
    String opf =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
          <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
            <dc:identifier id="id">urn:uuid:0b7a4c2e-1111-4b6f-9c55-6a1f0f3c2d10</dc:identifier>
            <dc:title>El faro</dc:title>
            <dc:language>es</dc:language>
          </metadata>
          <manifest>
            <item id="ch1" href="chapter1.xhtml" media-type="application/xhtml+xml"/>
          </manifest>
          <spine><itemref idref="ch1"/></spine>
        </package>
        """;
    String chapter =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <html xmlns="http://www.w3.org/1999/xhtml">
          <head><title>Capítulo uno</title></head>
          <body>
            <h1>Capítulo uno</h1>
            <p>La luz gira toda la noche.</p>
          </body>
        </html>
        """;
    writeZip(
        file,
        "application/epub+zip",
        List.of(
            new Entry("META-INF/container.xml", container),
            new Entry("OEBPS/content.opf", opf),
            new Entry("OEBPS/chapter1.xhtml", chapter)));
    return file;
  }

  private record Entry(String name, String text) {}

  /** OpenDocument and EPUB both require "mimetype" first and stored, not deflated. */
  private static void writeZip(Path file, String mimeType, List<Entry> entries) throws IOException {
    try (var zip = new ZipOutputStream(Files.newOutputStream(file))) {
      byte[] type = mimeType.getBytes(UTF_8);
      var first = new ZipEntry("mimetype");
      first.setMethod(ZipEntry.STORED);
      first.setSize(type.length);
      var crc = new CRC32();
      crc.update(type);
      first.setCrc(crc.getValue());
      zip.putNextEntry(first);
      zip.write(type);
      zip.closeEntry();
      for (var entry : entries) {
        zip.putNextEntry(new ZipEntry(entry.name()));
        zip.write(entry.text().getBytes(UTF_8));
        zip.closeEntry();
      }
    }
  }

  /**
   * Title "Guía de Ancla"; h1 "Primeros pasos", h2 "Instalar", paragraph, list items "Descargar"
   * and "Ejecutar", table row "Opción | Valor"; plus script, style and nav noise that must not come
   * out ("tracking", "color", "Inicio").
   */
  public static Path html(Path dir) throws IOException {
    return write(
        dir.resolve("guia.html"),
        """
        <!DOCTYPE html>
        <html lang="es">
        <head>
          <meta charset="utf-8">
          <title>Guía de Ancla</title>
          <style>body { color: red; }</style>
          <script>var tracking = "tracking";</script>
        </head>
        <body>
          <nav><a href="/">Inicio</a> <a href="/docs">Docs</a></nav>
          <h1>Primeros pasos</h1>
          <h2>Instalar</h2>
          <p>Ancla se instala   con
             un solo comando.</p>
          <ul><li>Descargar</li><li>Ejecutar</li></ul>
          <table><tr><th>Opción</th><th>Valor</th></tr><tr><td>puerto</td><td>8080</td></tr></table>
          <div>Texto suelto en un div.</div>
          <script>document.write("tracking");</script>
        </body>
        </html>
        """);
  }

  /**
   * h1 "Ancla", paragraph "A knowledge base you host.", h2 "Install", list items "Download it" and
   * "Run it", a fenced code block "java -jar ancla.jar", h3 "Notes".
   */
  public static Path markdown(Path dir) throws IOException {
    return write(
        dir.resolve("README.md"),
        """
        # Ancla

        A knowledge base
        you **host**.

        ## Install

        - Download it
        - Run [it](https://example.com)

        ```sh
        java -jar ancla.jar

        # not a heading
        ```

        ### Notes ###
        Plain *words* here.
        """);
  }

  /**
   * Two paragraphs: "Primer párrafo del texto." and "Segundo párrafo, tras una línea en blanco."
   */
  public static Path text(Path dir, String name) throws IOException {
    return write(
        dir.resolve(name),
        """
        Primer párrafo
        del texto.

        Segundo párrafo, tras una línea en blanco.
        """);
  }

  /** Rows "ciudad,habitantes", "Lima,10000000", "Quito,2800000". */
  public static Path csv(Path dir) throws IOException {
    return write(dir.resolve("ciudades.csv"), "ciudad,habitantes\nLima,10000000\nQuito,2800000\n");
  }

  /** Paragraphs "Hola RTF" and "Segunda línea en RTF" (the accent as an RTF escape). */
  public static Path rtf(Path dir) throws IOException {
    return write(
        dir.resolve("nota.rtf"),
        "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Helvetica;}}\\f0\\fs24 Hola RTF\\par\n"
            + "Segunda l\\'ednea en RTF\\par\n}");
  }

  /**
   * A DOCX whose document.xml expands from about 200 KB to {@code megabytes} MB of one repeated
   * letter: POI's ZipSecureFile (minimum inflate ratio 1%) must refuse it. Streamed, so it costs
   * CPU for deflating but no memory.
   */
  public static Path zipBombDocx(Path dir, int megabytes) throws IOException {
    Path file = dir.resolve("bomb.docx");
    try (var zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.setLevel(Deflater.BEST_COMPRESSION);
      text(zip, "[Content_Types].xml", CONTENT_TYPES);
      text(zip, "_rels/.rels", RELS);
      zip.putNextEntry(new ZipEntry("word/document.xml"));
      zip.write(
          ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document"
                  + " xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
                  + "<w:body><w:p><w:r><w:t>")
              .getBytes(UTF_8));
      byte[] block = new byte[1 << 20];
      Arrays.fill(block, (byte) 'a');
      for (int i = 0; i < megabytes; i++) zip.write(block);
      zip.write("</w:t></w:r></w:p></w:body></w:document>".getBytes(UTF_8));
      zip.closeEntry();
    }
    return file;
  }

  /** The first {@code keep} bytes of {@link #docx}: a ZIP without its central directory. */
  public static Path truncatedDocx(Path dir, int keep) throws IOException {
    byte[] whole = Files.readAllBytes(docx(dir));
    Path file = dir.resolve("truncated.docx");
    Files.write(file, Arrays.copyOf(whole, Math.min(keep, whole.length)));
    return file;
  }

  private static final String CONTENT_TYPES =
      """
      <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
        <Default Extension="xml" ContentType="application/xml"/>
        <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
      </Types>
      """;

  private static final String RELS =
      """
      <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
      </Relationships>
      """;

  private static void text(ZipOutputStream zip, String name, String text) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(text.getBytes(UTF_8));
    zip.closeEntry();
  }

  /**
   * About {@code megabytes} MB of numbered lines in blank-line separated paragraphs of ten lines;
   * written through a buffer, so the test pays disk bandwidth only.
   */
  public static Path largeText(Path dir, String name, int megabytes) throws IOException {
    Path file = dir.resolve(name);
    long target = (long) megabytes << 20;
    try (OutputStream out =
        new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      long written = 0;
      for (int line = 0; written < target; line++) {
        byte[] bytes =
            ("Line "
                    + line
                    + " of a long report about harbours, ships and anchors.\n"
                    + (line % 10 == 9 ? "\n" : ""))
                .getBytes(UTF_8);
        out.write(bytes);
        written += bytes.length;
      }
    }
    return file;
  }

  /** {@code size} bytes from a fixed seed: no format's magic, not text. */
  public static Path randomBytes(Path dir, String name, int size) throws IOException {
    byte[] bytes = new byte[size];
    new java.util.Random(42).nextBytes(bytes);
    return Files.write(dir.resolve(name), bytes);
  }

  public static Path write(Path file, String text) throws IOException {
    return Files.writeString(file, text, UTF_8);
  }
}
