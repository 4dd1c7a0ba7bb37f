package dev.ancla.ingest.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PlainTextParser, CsvParser, LineReader and the collector's limits. */
class TextReadersTest {

  @Test
  void textWithoutBlankLinesStillSplitsIntoReasonableParagraphs() throws Exception {
    var out = new BlockCollector(1_000_000);
    var text = new StringBuilder();
    for (int i = 0; i < 500; i++)
      text.append("Línea ").append(i).append(" de un registro sin pausas.\n");
    PlainTextParser.parse(new StringReader(text.toString()), out);
    assertTrue(out.blocks().size() > 10, "" + out.blocks().size());
    for (var block : out.blocks()) {
      assertTrue(block.text().length() <= BlockCollector.MAX_PARAGRAPH, block.text());
      assertTrue(block.text().startsWith("Línea "), "cut at line breaks: " + block.text());
    }
    assertEquals(
        "Línea 0 de un registro sin pausas.", out.blocks().getFirst().text().substring(0, 34));
  }

  @Test
  void oneHugeLineIsCutAtSpaces() throws Exception {
    var out = new BlockCollector(1_000_000);
    PlainTextParser.parse(new StringReader("palabra ".repeat(50_000)), out);
    assertTrue(out.blocks().size() > 100);
    assertTrue(out.blocks().stream().allMatch(b -> b.text().matches("(palabra ?)+")));
  }

  @Test
  void theCharacterLimitCutsAtAWordAndMarksTheDocumentTruncated() throws Exception {
    var out = new BlockCollector(30);
    PlainTextParser.parse(
        new StringReader("uno dos tres\n\ncuatro cinco seis siete ocho\n\nnueve"), out);
    assertTrue(out.truncated());
    assertFalse(out.accepting());
    assertEquals(List.of("uno dos tres", "cuatro cinco seis"), texts(out));
  }

  @Test
  void whitespaceIsNormalizedAndControlCharactersDropped() {
    assertEquals("a b c", BlockCollector.normalize(" a\t\u00A0b\r\n\u0000c\f "));
  }

  @Test
  void csvQuotingDelimitersAndMultiLineCells() throws Exception {
    var out = new BlockCollector(1_000_000);
    CsvParser.parse(
        new StringReader(
            "nombre;nota;comentario\n\"Pérez; Ana\";9;\"dijo \"\"hola\"\"\nal salir\"\n;;\n"),
        out);
    assertEquals(
        List.of("nombre | nota | comentario", "Pérez; Ana | 9 | dijo \"hola\" al salir"),
        texts(out));
  }

  @Test
  void lineReaderHandlesEveryLineEnding() throws Exception {
    var lines = new LineReader(new StringReader("a\r\nb\rc\n\nd"));
    assertEquals("a", lines.readLine());
    assertEquals("b", lines.readLine());
    assertEquals("c", lines.readLine());
    assertEquals("", lines.readLine());
    assertEquals("d", lines.readLine());
    assertEquals(null, lines.readLine());
  }

  @Test
  void aShortFirstLineAloneIsTheTitleAndHeadingOfAPlainText() throws Exception {
    var out = new BlockCollector(1_000_000);
    PlainTextParser.parse(
        new StringReader(
            "\n  Ver certificado\n\nEl cuadro de diálogo se abre al pulsar.\n\nGeneral\n"),
        out);
    assertEquals(
        List.of(Block.Kind.HEADING, Block.Kind.PARAGRAPH, Block.Kind.PARAGRAPH), kinds(out));
    assertEquals("Ver certificado", out.firstHeading());
    assertEquals(1, out.blocks().getFirst().level());
    // only the first paragraph can be the title
    assertEquals("General", out.blocks().getLast().text());
  }

  @Test
  void aFirstParagraphThatReadsLikeTextIsNotATitle() throws Exception {
    for (String first :
        List.of(
            "El cuadro de diálogo se abre al pulsar.", // a sentence
            "Vaya a la pestaña siguiente:", // a lead-in
            "Primera línea\nsegunda línea", // two lines
            "palabra ".repeat(20).strip())) { // too long for a title
      var out = new BlockCollector(1_000_000);
      PlainTextParser.parse(new StringReader(first + "\n\nY un párrafo más.\n"), out);
      assertEquals(List.of(Block.Kind.PARAGRAPH, Block.Kind.PARAGRAPH), kinds(out), first);
      assertEquals("", out.firstHeading(), first);
    }
  }

  @Test
  void aFileOfOneShortLineIsItsTextNotATitle() throws Exception {
    var out = new BlockCollector(1_000_000);
    PlainTextParser.parse(new StringReader("Solo una línea\n"), out);
    assertEquals(List.of(Block.Kind.PARAGRAPH), kinds(out));
  }

  private static List<Block.Kind> kinds(BlockCollector out) {
    return out.blocks().stream().map(Block::kind).toList();
  }

  private static List<String> texts(BlockCollector out) {
    return out.blocks().stream().map(Block::text).toList();
  }
}
