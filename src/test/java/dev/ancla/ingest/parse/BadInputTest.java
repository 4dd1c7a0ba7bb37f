package dev.ancla.ingest.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ancla.ingest.parse.ParseFailure.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus: every file here must fail with the right {@link ParseFailure.Kind} and a
 * message a user can act on, or (a huge text) come back truncated. Never any other exception.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  private static final int BIG_TEXT_MB = 50;

  private final TikaDocumentParser parser = new TikaDocumentParser(ParseLimits.defaults());
  private Path bigText;

  @BeforeAll
  void writeTheBigTextOnce(@TempDir Path shared) throws Exception {
    bigText = Fixtures.largeText(shared, "big.txt", BIG_TEXT_MB);
  }

  @Test
  void aTruncatedPdfIsCorrupt(@TempDir Path dir) throws Exception {
    var failure = fails(Kind.CORRUPT, parser, Fixtures.truncatedPdf(dir, 400));
    assertTrue(failure.getMessage().contains("application/pdf"), failure.getMessage());
  }

  @Test
  void aTruncatedDocxIsCorrupt(@TempDir Path dir) throws Exception {
    fails(Kind.CORRUPT, parser, Fixtures.truncatedDocx(dir, 1500));
  }

  @Test
  void aPasswordProtectedPdfIsEncrypted(@TempDir Path dir) throws Exception {
    var failure = fails(Kind.ENCRYPTED, parser, Fixtures.encryptedPdf(dir));
    assertTrue(failure.getMessage().contains("password"), failure.getMessage());
  }

  @Test
  void aPasswordProtectedDocxIsEncrypted(@TempDir Path dir) throws Exception {
    fails(Kind.ENCRYPTED, parser, Fixtures.encryptedDocx(dir));
  }

  @Test
  void aDocxThatExpandsToHundredsOfMegabytesIsAZipBomb(@TempDir Path dir) throws Exception {
    var failure = fails(Kind.ZIP_BOMB, parser, Fixtures.zipBombDocx(dir, 200));
    assertTrue(failure.getMessage().contains("word/document.xml"), failure.getMessage());
  }

  @Test
  void tikasOwnZipBombCheckIsClassifiedToo(@TempDir Path dir) throws Exception {
    // 9 MB stays under ZipBombCheck's floor; Tika's SecureContentHandler must catch it instead
    var generous =
        new TikaDocumentParser(new ParseLimits(64L << 20, 20_000_000, Duration.ofSeconds(30)));
    fails(Kind.ZIP_BOMB, generous, Fixtures.zipBombDocx(dir, 9));
  }

  @Test
  void aZeroByteFileIsEmpty(@TempDir Path dir) throws Exception {
    var failure = fails(Kind.EMPTY, parser, Files.createFile(dir.resolve("nada.pdf")));
    assertTrue(failure.getMessage().contains("0 bytes"), failure.getMessage());
  }

  @Test
  void aTextOfOnlyWhitespaceIsEmpty(@TempDir Path dir) throws Exception {
    fails(Kind.EMPTY, parser, Fixtures.write(dir.resolve("blanco.txt"), " \n\t\n\n  \n"));
  }

  @Test
  void aPdfWithoutTextIsEmptyAndTheMessageSuggestsOcr(@TempDir Path dir) throws Exception {
    var failure = fails(Kind.EMPTY, parser, Fixtures.imageOnlyPdf(dir));
    assertEquals("no extractable text (scanned PDF? OCR is not enabled)", failure.getMessage());
  }

  @Test
  void aHugeTextIsCutAtTheCharacterLimit() throws Exception {
    var doc = parser.parse(bigText, "big.txt");
    assertTrue(doc.truncated());
    assertTrue(doc.characters() <= ParseLimits.DEFAULT_MAX_CHARS, "" + doc.characters());
    assertTrue(doc.characters() > ParseLimits.DEFAULT_MAX_CHARS * 0.99, "" + doc.characters());
    assertTrue(doc.blocks().getFirst().text().startsWith("Line 0 of a long report"));
  }

  @Test
  void aHugeTextOverTheFileLimitIsTooLargeBeforeParsing() {
    var small =
        new TikaDocumentParser(new ParseLimits(10L << 20, 1_000_000, Duration.ofSeconds(60)));
    var failure = fails(Kind.TOO_LARGE, small, bigText);
    assertEquals(
        "the file is 50.0 MB; the limit is 10.0 MB. Raise ANCLA_MAX_FILE_MB to index it",
        failure.getMessage());
  }

  @Test
  void aParseOverTheTimeoutIsAbandoned() {
    var hasty =
        new TikaDocumentParser(new ParseLimits(64L << 20, Integer.MAX_VALUE, Duration.ofMillis(1)));
    var failure = fails(Kind.TIMEOUT, hasty, bigText);
    assertTrue(failure.getMessage().contains("ANCLA_PARSE_TIMEOUT_SECONDS"), failure.getMessage());
  }

  @Test
  void randomBytesNamedPdfAreUnsupportedNotCorrupt(@TempDir Path dir) throws Exception {
    var failure = fails(Kind.UNSUPPORTED, parser, Fixtures.randomBytes(dir, "factura.pdf", 20_000));
    assertTrue(failure.getMessage().contains("binary data"), failure.getMessage());
    assertTrue(failure.getMessage().contains("application/pdf"), failure.getMessage());
  }

  @Test
  void anExecutableIsUnsupported(@TempDir Path dir) throws Exception {
    var java = ProcessHandle.current().info().command().map(Path::of);
    assumeTrue(java.isPresent() && Files.isReadable(java.get()));
    Path copy = Files.copy(java.get(), dir.resolve("tool"));
    var failure = fails(Kind.NOT_A_DOCUMENT, parser, copy);
    assertTrue(failure.getMessage().contains("no text"), failure.getMessage());
  }

  @Test
  void anImageIsUnsupported(@TempDir Path dir) throws Exception {
    var image = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
    Path png = dir.resolve("foto.png");
    javax.imageio.ImageIO.write(image, "png", png.toFile());
    var failure = fails(Kind.NOT_A_DOCUMENT, parser, png);
    assertTrue(failure.getMessage().contains("OCR"), failure.getMessage());
  }

  @Test
  void anUnreadableFileIsUnreadable(@TempDir Path dir) throws Exception {
    Path file = Fixtures.text(dir, "secreto.txt");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    assumeFalse(Files.isReadable(file), "running as root: permissions do not stop reading");
    fails(Kind.UNREADABLE, parser, file);
  }

  @Test
  void aMissingFileIsUnreadable(@TempDir Path dir) {
    fails(Kind.UNREADABLE, parser, dir.resolve("gone.txt"));
  }

  @Test
  void aDirectoryIsUnreadable(@TempDir Path dir) {
    fails(Kind.UNREADABLE, parser, dir);
  }

  @Test
  void reasonStartsWithTheKind(@TempDir Path dir) throws Exception {
    var failure = fails(Kind.ENCRYPTED, parser, Fixtures.encryptedPdf(dir));
    assertTrue(failure.reason().startsWith("encrypted: "), failure.reason());
    assertFalse(failure.reason().contains("Exception"), failure.reason());
  }

  private static ParseFailure fails(Kind expected, TikaDocumentParser parser, Path file) {
    var failure =
        assertThrows(ParseFailure.class, () -> parser.parse(file, "docs/" + file.getFileName()));
    assertEquals(expected, failure.kind(), failure.reason());
    assertFalse(failure.getMessage().isBlank());
    assertFalse(
        failure.getMessage().contains("\n\tat "), "no stack trace: " + failure.getMessage());
    return failure;
  }
}
