package dev.ancla.ingest.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ancla.embed.HfTokenCounter;
import dev.ancla.embed.SpanishText;
import dev.ancla.ingest.parse.Block;
import dev.ancla.ingest.parse.ParsedDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Uses the bundled model's real tokenizer. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChunkerTest {
  private HfTokenCounter tokens;

  @BeforeAll
  void load() {
    tokens = HfTokenCounter.bundled();
  }

  @AfterAll
  void close() {
    tokens.close();
  }

  @Test
  void settingsOutOfRangeNameTheVariableAndValue() {
    var small = assertThrows(IllegalArgumentException.class, () -> new Chunker(tokens, 8, 0));
    assertTrue(small.getMessage().startsWith("ANCLA_CHUNK_TOKENS is 8;"), small.getMessage());
    var overlap = assertThrows(IllegalArgumentException.class, () -> new Chunker(tokens, 100, 50));
    assertTrue(
        overlap.getMessage().startsWith("ANCLA_CHUNK_OVERLAP_TOKENS is 50;"), overlap.getMessage());
    assertTrue(overlap.getMessage().contains("0 to 49"), overlap.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Chunker(tokens, 100, -1));
    new Chunker(tokens, 16, 7); // the smallest allowed
  }

  @Test
  void anEmptyDocumentHasNoChunks() {
    assertEquals(List.of(), new Chunker(tokens, 240, 32).chunk(doc(List.of())));
  }

  @Test
  void longSpanishTextStaysWithinTheLimit() {
    var blocks = new ArrayList<Block>();
    blocks.add(Block.heading(1, "Manual del empleado", 1));
    var random = new Random(1);
    int page = 1;
    for (String p : SpanishText.paragraphs(120, 20 + random.nextInt(200), 11)) {
      blocks.add(Block.paragraph(p, page));
      if (random.nextInt(4) == 0) page++;
    }
    var chunker = new Chunker(tokens, 240, 32);
    List<Chunk> chunks = chunker.chunk(doc(blocks));
    assertWellFormed(chunks, 240);
    assertTrue(chunks.size() > 20, "chunks: " + chunks.size());
    int fullish = 0;
    for (Chunk c : chunks) if (tokens.count(c.text()) > 180) fullish++;
    assertTrue(
        fullish > chunks.size() / 2, "chunks are packed: " + fullish + " of " + chunks.size());
    assertEquals(chunks, chunker.chunk(doc(blocks)), "deterministic");
  }

  @Test
  void headingsStartSectionsAndGiveThePath() {
    var chunks =
        new Chunker(tokens, 240, 32)
            .chunk(
                doc(
                    List.of(
                        Block.heading(1, "Manual", 1),
                        Block.heading(2, "Instalación", 1),
                        Block.paragraph("Descargue el paquete y ejecute el instalador.", 1),
                        Block.heading(2, "Uso", 2),
                        Block.paragraph("Abra el navegador en el puerto 8080.", 2),
                        Block.heading(3, "Avanzado", 3),
                        Block.paragraph("Configure las variables de entorno.", 3),
                        Block.heading(2, "Licencia", 4),
                        Block.paragraph("Apache 2.0.", 4))));
    assertEquals(4, chunks.size(), chunks.toString());
    assertEquals(
        new Chunk(
            0,
            "Manual\nInstalación\nDescargue el paquete y ejecute el instalador.",
            "Manual > Instalación",
            1),
        chunks.get(0));
    assertEquals(
        new Chunk(1, "Uso\nAbra el navegador en el puerto 8080.", "Manual > Uso", 2),
        chunks.get(1));
    assertEquals("Manual > Uso > Avanzado", chunks.get(2).headingPath());
    assertEquals(3, chunks.get(2).page());
    assertEquals(new Chunk(3, "Licencia\nApache 2.0.", "Manual > Licencia", 4), chunks.get(3));
  }

  @Test
  void aTextWithoutHeadingsHasAnEmptyPath() {
    var chunks = new Chunker(tokens, 64, 8).chunk(doc(List.of(Block.paragraph("Hola.", 0))));
    assertEquals(List.of(new Chunk(0, "Hola.", "", 0)), chunks);
  }

  @Test
  void consecutiveChunksOfOneSectionOverlapButSectionsDoNot() {
    var blocks = new ArrayList<Block>();
    for (String section : List.of("Vacaciones", "Gastos")) {
      blocks.add(Block.heading(2, section, 1));
      for (String p : SpanishText.paragraphs(12, 30, section.length())) {
        blocks.add(Block.paragraph(p, 1));
      }
    }
    List<Chunk> chunks = new Chunker(tokens, 128, 24).chunk(doc(blocks));
    assertWellFormed(chunks, 128);
    int overlaps = 0;
    for (int i = 1; i < chunks.size(); i++) {
      Chunk before = chunks.get(i - 1);
      Chunk after = chunks.get(i);
      int shared = overlap(before.text(), after.text());
      if (after.text().startsWith("Gastos\n")) {
        assertEquals(0, shared, "no overlap across sections: " + after.text());
        assertEquals("Gastos", after.headingPath());
      } else {
        assertEquals(before.headingPath(), after.headingPath());
        int sharedTokens = tokens.count(after.text().substring(0, shared));
        assertTrue(
            sharedTokens > 4 && sharedTokens <= 24,
            "overlap of "
                + sharedTokens
                + " tokens between\n"
                + before.text()
                + "\n---\n"
                + after.text());
        overlaps++;
      }
    }
    assertTrue(overlaps >= 4, "overlaps: " + overlaps);
  }

  @Test
  void theChunkPageIsThePageOfItsFirstBlock() {
    var blocks = new ArrayList<Block>();
    blocks.add(Block.heading(1, "Informe", 1));
    int page = 1;
    for (String p : SpanishText.paragraphs(30, 60, 5)) blocks.add(Block.paragraph(p, page++));
    List<Chunk> chunks = new Chunker(tokens, 200, 0).chunk(doc(blocks));
    assertEquals(1, chunks.get(0).page());
    for (Chunk c : chunks) {
      String firstLine = c.text().lines().findFirst().orElseThrow();
      Block first =
          blocks.stream().filter(b -> b.text().startsWith(firstLine)).findFirst().orElseThrow();
      assertEquals(first.page(), c.page(), c.text());
    }
  }

  @Test
  void aHugeParagraphWithoutPunctuationIsCutAtWords() {
    String noPunctuation = SpanishText.words(3000, 4).replaceAll("[.,;:¿?¡!]", "");
    List<Chunk> chunks =
        new Chunker(tokens, 240, 0).chunk(doc(List.of(Block.paragraph(noPunctuation, 7))));
    assertWellFormed(chunks, 240);
    assertTrue(chunks.size() > 20);
    // without overlap the pieces put back together are the paragraph, cut only between words
    assertEquals(noPunctuation, String.join(" ", chunks.stream().map(Chunk::text).toList()));
    chunks.forEach(c -> assertEquals(7, c.page()));
  }

  @Test
  void aHugeParagraphIsCutAtSentenceEndsWithOverlap() {
    String text = SpanishText.words(1500, 8);
    List<Chunk> chunks = new Chunker(tokens, 240, 32).chunk(doc(List.of(Block.paragraph(text, 1))));
    assertWellFormed(chunks, 240);
    for (int i = 0; i < chunks.size() - 1; i++) {
      String t = chunks.get(i).text();
      assertTrue(t.endsWith(".") || t.endsWith("?") || t.endsWith("!"), "ends a sentence: " + t);
      assertTrue(overlap(t, chunks.get(i + 1).text()) > 0, "overlap after chunk " + i);
    }
  }

  @Test
  void textWithoutSpacesIsCutBetweenTokens() {
    var random = new Random(3);
    var path = new StringBuilder("https://intranet.ejemplo.es");
    for (int i = 0; i < 600; i++) path.append('/').append("carpeta").append(random.nextInt(1000));
    // BERT reads a "word" over 100 chars as one [UNK] token: long, but one token
    String unknown = "x".repeat(6000);
    String text = "Ruta: " + path + " fin 😀 " + unknown + " adiós";
    List<Chunk> chunks = new Chunker(tokens, 64, 0).chunk(doc(List.of(Block.paragraph(text, 0))));
    assertWellFormed(chunks, 64);
    assertTrue(chunks.size() > 10, "chunks: " + chunks.size());
    String joined = String.join("", chunks.stream().map(Chunk::text).toList());
    assertEquals(text.replace(" ", ""), joined.replace(" ", ""), "nothing lost or repeated");
  }

  @Test
  void headingsInARowShareTheFollowingChunk() {
    var chunks =
        new Chunker(tokens, 64, 8)
            .chunk(
                doc(
                    List.of(
                        Block.heading(1, "Parte I", 1),
                        Block.heading(2, "Capítulo 1", 1),
                        Block.heading(3, "Sección 1.1", 1),
                        Block.paragraph(SpanishText.words(120, 2), 1),
                        Block.heading(2, "Capítulo 2", 2))));
    assertWellFormed(chunks, 64);
    assertTrue(
        chunks.get(0).text().startsWith("Parte I\nCapítulo 1\nSección 1.1\n"),
        chunks.get(0).text());
    assertEquals("Parte I > Capítulo 1 > Sección 1.1", chunks.get(0).headingPath());
    for (Chunk c : chunks.subList(0, chunks.size() - 1)) {
      assertTrue(tokens.count(c.text()) > 12, "no heading-only chunk: " + c.text());
    }
    // a heading that ends the document has nothing to join: it stays, as its own chunk
    assertEquals(
        new Chunk(chunks.size() - 1, "Capítulo 2", "Parte I > Capítulo 2", 2),
        chunks.get(chunks.size() - 1));
  }

  @Test
  void aLongHeadingRunStillFitsTheLimit() {
    var blocks = new ArrayList<Block>();
    for (int i = 0; i < 40; i++)
      blocks.add(Block.heading(2, "Anexo número " + i + " de la guía", 1));
    blocks.add(Block.paragraph(SpanishText.words(80, 1), 1));
    List<Chunk> chunks = new Chunker(tokens, 32, 4).chunk(doc(blocks));
    assertWellFormed(chunks, 32);
  }

  private void assertWellFormed(List<Chunk> chunks, int maxTokens) {
    for (int i = 0; i < chunks.size(); i++) {
      Chunk c = chunks.get(i);
      assertEquals(i, c.ordinal());
      assertFalse(c.text().isBlank(), "blank chunk " + i);
      assertEquals(c.text().strip(), c.text());
      int n = tokens.count(c.text());
      assertTrue(n <= maxTokens, "chunk " + i + " has " + n + " tokens: " + c.text());
    }
  }

  /** Length of the longest suffix of a that starts b, at least 10 chars, else 0. */
  private static int overlap(String a, String b) {
    for (int len = Math.min(a.length(), b.length()); len >= 10; len--) {
      if (a.endsWith(b.substring(0, len))) return len;
    }
    return 0;
  }

  private static ParsedDocument doc(List<Block> blocks) {
    return new ParsedDocument("", "text/plain", blocks, false);
  }
}
