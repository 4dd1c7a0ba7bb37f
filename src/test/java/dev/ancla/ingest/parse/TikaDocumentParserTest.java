package dev.ancla.ingest.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ancla.ingest.parse.Block.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every supported format, from real files, through one shared parser. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TikaDocumentParserTest {
  private final TikaDocumentParser parser = new TikaDocumentParser(ParseLimits.defaults());
  @TempDir Path dir;

  @Test
  void pdfBlocksCarryTheirPageAndTheTitleComesFromMetadata() throws Exception {
    var doc = parse(Fixtures.pdf(dir));
    assertEquals("application/pdf", doc.mediaType());
    assertEquals("Ancla PDF", doc.title());
    assertEquals(
        List.of(
            Block.paragraph("Ancla indexes documents The first page explains the idea.", 1),
            Block.paragraph("Second page about anchors It holds the rest of the text.", 2)),
        doc.blocks());
    assertFalse(doc.truncated());
  }

  @Test
  void docxHeadingStylesBecomeHeadingsWithTheirLevel() throws Exception {
    var doc = parse(Fixtures.docx(dir));
    assertEquals("Manual de Ancla", doc.title());
    assertEquals(
        List.of(
            Block.heading(1, "Instalación", 0),
            Block.paragraph("Ancla runs on Java 25.", 0),
            Block.heading(2, "Requisitos", 0),
            Block.paragraph("Two cores and 2 GB of memory.", 0),
            Block.paragraph("Clave | Valor", 0),
            Block.paragraph("puerto | 8080", 0)),
        doc.blocks());
  }

  @Test
  void xlsxRowsArePipeJoinedAndEachSheetIsAPage() throws Exception {
    var doc = parse(Fixtures.xlsx(dir));
    assertEquals(
        List.of(
            Block.heading(1, "Ventas", 1),
            Block.paragraph("Producto | Unidades", 1),
            Block.paragraph("ancla | 12", 1),
            Block.paragraph("cadena | 7", 1),
            Block.heading(1, "Notas", 2),
            Block.paragraph("Revisar en enero", 2)),
        doc.blocks());
    assertEquals("Ventas", doc.title(), "no title in the metadata: the first heading");
  }

  @Test
  void pptxSlidesAreNumberedPagesAndTheirNotesStayOnThem() throws Exception {
    var doc = parse(Fixtures.pptx(dir));
    assertEquals(
        List.of(
            Block.paragraph("Primera diapositiva", 1),
            Block.paragraph("Hola desde la uno", 1),
            Block.paragraph("Nota: Primera diapositiva", 1),
            Block.paragraph("Segunda", 2),
            Block.paragraph("Adiós desde la dos", 2),
            Block.paragraph("Nota: Segunda", 2)),
        doc.blocks());
  }

  @Test
  void odtHasHeadingsParagraphsAndListItems() throws Exception {
    var doc = parse(Fixtures.odt(dir));
    assertEquals(
        List.of(
            Block.heading(1, "Informe anual", 0),
            Block.paragraph("El puerto creció un 12 %.", 0),
            Block.paragraph("Más barcos", 0)),
        doc.blocks());
  }

  @Test
  void odsRowsArePipeJoined() throws Exception {
    var doc = parse(Fixtures.ods(dir));
    assertEquals(
        List.of(Block.paragraph("Nombre | Edad", 0), Block.paragraph("Lucía | 34", 0)),
        doc.blocks());
  }

  @Test
  void odpSlidesAreNumberedPages() throws Exception {
    var doc = parse(Fixtures.odp(dir));
    assertEquals(
        List.of(
            Block.paragraph("Bienvenida a Ancla", 1),
            Block.paragraph("Segunda lámina de la charla", 2)),
        doc.blocks());
  }

  @Test
  void epubChaptersKeepTheirHeadingsAndTheBookTitle() throws Exception {
    var doc = parse(Fixtures.epub(dir));
    assertEquals("El faro", doc.title());
    assertEquals(
        List.of(
            Block.heading(1, "Capítulo uno", 0), Block.paragraph("La luz gira toda la noche.", 0)),
        doc.blocks());
  }

  @Test
  void htmlKeepsStructureAndDropsScriptsStylesAndNavigation() throws Exception {
    var doc = parse(Fixtures.html(dir));
    assertEquals("text/html", doc.mediaType());
    assertEquals("Guía de Ancla", doc.title());
    assertEquals(
        List.of(
            Block.heading(1, "Primeros pasos", 0),
            Block.heading(2, "Instalar", 0),
            Block.paragraph("Ancla se instala con un solo comando.", 0),
            Block.paragraph("Descargar", 0),
            Block.paragraph("Ejecutar", 0),
            Block.paragraph("Opción | Valor", 0),
            Block.paragraph("puerto | 8080", 0),
            Block.paragraph("Texto suelto en un div.", 0)),
        doc.blocks());
  }

  @Test
  void markdownHeadingsListsAndCodeBlocks() throws Exception {
    var doc = parse(Fixtures.markdown(dir));
    assertEquals("Ancla", doc.title());
    assertEquals(
        List.of(
            Block.heading(1, "Ancla", 0),
            Block.paragraph("A knowledge base you host.", 0),
            Block.heading(2, "Install", 0),
            Block.paragraph("Download it", 0),
            Block.paragraph("Run it", 0),
            Block.paragraph("java -jar ancla.jar # not a heading", 0),
            Block.heading(3, "Notes", 0),
            Block.paragraph("Plain words here.", 0)),
        doc.blocks());
  }

  @Test
  void plainTextParagraphsEndAtBlankLines() throws Exception {
    var doc = parse(Fixtures.text(dir, "notas.txt"));
    assertEquals("text/plain", doc.mediaType());
    assertEquals("", doc.title());
    assertEquals(
        List.of(
            Block.paragraph("Primer párrafo del texto.", 0),
            Block.paragraph("Segundo párrafo, tras una línea en blanco.", 0)),
        doc.blocks());
  }

  @Test
  void aPlainTextsFirstLineAloneIsItsTitle() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("certificado.txt"),
            "Ver certificado\n\nEl diálogo Ver certificado muestra el certificado.\n");
    var doc = parse(file);
    assertEquals("Ver certificado", doc.title());
    assertEquals(
        List.of(
            Block.heading(1, "Ver certificado", 0),
            Block.paragraph("El diálogo Ver certificado muestra el certificado.", 0)),
        doc.blocks());
  }

  @Test
  void csvRowsAreParagraphs() throws Exception {
    var doc = parse(Fixtures.csv(dir));
    assertEquals(List.of("ciudad | habitantes", "Lima | 10000000", "Quito | 2800000"), texts(doc));
  }

  @Test
  void rtfParagraphs() throws Exception {
    var doc = parse(Fixtures.rtf(dir));
    assertEquals("application/rtf", doc.mediaType());
    assertEquals(List.of("Hola RTF", "Segunda línea en RTF"), texts(doc));
  }

  @Test
  void aNameWithSpacesAccentsAndEmojiIsNoProblem() throws Exception {
    Path file = Fixtures.text(dir, "informe final ñandú 📄.txt");
    var doc = parser.parse(file, "informes/informe final ñandú 📄.txt");
    assertEquals("Primer párrafo del texto.", doc.blocks().getFirst().text());
  }

  @Test
  void oneParserServesManyThreadsAtOnce() throws Exception {
    Path docx = Fixtures.docx(dir);
    Path pdf = Fixtures.pdf(dir);
    var expectedDocx = parse(docx);
    var expectedPdf = parse(pdf);
    try (var pool = Executors.newFixedThreadPool(8)) {
      List<Future<List<ParsedDocument>>> results =
          java.util.stream.IntStream.range(0, 8)
              .mapToObj(_ -> pool.submit(() -> List.of(parse(docx), parse(pdf))))
              .toList();
      for (var result : results) assertEquals(List.of(expectedDocx, expectedPdf), result.get());
    }
  }

  @Test
  void tikaFormatsStopAtTheCharacterLimitAndKeepTheirTitle() throws Exception {
    var small = new TikaDocumentParser(new ParseLimits(64L << 20, 40, Duration.ofSeconds(60)));
    var doc = small.parse(Fixtures.docx(dir), "manual.docx");
    assertTrue(doc.truncated());
    assertEquals("Manual de Ancla", doc.title());
    assertEquals(40, doc.characters());
    assertEquals(
        List.of(
            Block.heading(1, "Instalación", 0),
            Block.paragraph("Ancla runs on Java 25.", 0),
            Block.heading(2, "Requisi", 0)),
        doc.blocks());
  }

  @Test
  void headingsAreMarkedAsSuch() throws Exception {
    var doc = parse(Fixtures.html(dir));
    assertTrue(
        doc.blocks().stream()
            .filter(b -> b.kind() == Kind.HEADING)
            .allMatch(b -> b.level() >= 1 && b.level() <= 6));
    assertTrue(
        doc.blocks().stream()
            .filter(b -> b.kind() == Kind.PARAGRAPH)
            .allMatch(b -> b.level() == 0));
  }

  private ParsedDocument parse(Path file) throws ParseFailure {
    assertTrue(Files.exists(file));
    return parser.parse(file, "docs/" + file.getFileName());
  }

  private static List<String> texts(ParsedDocument doc) {
    return doc.blocks().stream().map(Block::text).toList();
  }
}
