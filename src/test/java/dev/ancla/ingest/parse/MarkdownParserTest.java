package dev.ancla.ingest.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownParserTest {
  private final BlockCollector out = new BlockCollector(1_000_000);

  @Test
  void atxHeadingsOfEveryLevelAndTheirClosingHashes() throws Exception {
    parse(
        "# Uno\n"
            + "## Dos ##\n"
            + "### Tres\n"
            + "#### Cuatro\n"
            + "##### Cinco\n"
            + "###### Seis\n"
            + "####### siete\n"
            + "#sin espacio\n");
    assertEquals(
        List.of(
            Block.heading(1, "Uno", 0),
            Block.heading(2, "Dos", 0),
            Block.heading(3, "Tres", 0),
            Block.heading(4, "Cuatro", 0),
            Block.heading(5, "Cinco", 0),
            Block.heading(6, "Seis", 0),
            Block.paragraph("####### siete #sin espacio", 0)),
        out.blocks());
  }

  @Test
  void setextHeadingsButNotThematicBreaks() throws Exception {
    parse("Título\n======\n\nSub\n---\n\ntexto\n\n---\n\nmás\n");
    assertEquals(
        List.of(
            Block.heading(1, "Título", 0),
            Block.heading(2, "Sub", 0),
            Block.paragraph("texto", 0),
            Block.paragraph("más", 0)),
        out.blocks());
  }

  @Test
  void listItemsAreParagraphsAndContinuationLinesJoinThem() throws Exception {
    parse("- uno\n  sigue\n* dos\n1. tres\n2) cuatro\n");
    assertEquals(List.of("uno sigue", "dos", "tres", "cuatro"), texts());
  }

  @Test
  void fencedCodeIsOneParagraphAndHashesInsideAreNotHeadings() throws Exception {
    parse("~~~\n# comment\nx = 1\n~~~\n```\nunclosed\n");
    assertEquals(List.of("# comment x = 1", "unclosed"), texts());
    assertEquals(Block.Kind.PARAGRAPH, out.blocks().getFirst().kind());
  }

  @Test
  void tablesBecomePipeJoinedRowsWithoutTheRule() throws Exception {
    parse("| a | b |\n|---|:---:|\n| **1** | 2 |\n");
    assertEquals(List.of("a | b", "1 | 2"), texts());
  }

  @Test
  void inlineMarkupIsReducedToItsText() throws Exception {
    parse(
        "Un **fuerte**, un *énfasis*, un _otro_, `código`, [enlace](http://x.y), ![alt](i.png),"
            + " <b>html</b>, ~~tachado~~, snake_case_name y 2 * 3 * 4.\n");
    assertEquals(
        List.of(
            "Un fuerte, un énfasis, un otro, código, enlace, alt, html, tachado, snake_case_name y"
                + " 2 * 3 * 4."),
        texts());
  }

  @Test
  void frontMatterIsSkippedButItsTitleKept() throws Exception {
    String title = parse("---\ntitle: \"Guía rápida\"\ntags: [a]\n---\n> citado\n");
    assertEquals("Guía rápida", title);
    assertEquals(List.of("citado"), texts());
  }

  private String parse(String markdown) throws Exception {
    return MarkdownParser.parse(new StringReader(markdown), out);
  }

  private List<String> texts() {
    return out.blocks().stream().map(Block::text).toList();
  }
}
