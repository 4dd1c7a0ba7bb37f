package dev.ancla.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.tika.detect.DefaultEncodingDetector;
import org.apache.tika.detect.EncodingDetector;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.PagedText;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.BodyContentHandler;
import org.apache.tika.sax.ToXMLContentHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xml.sax.ContentHandler;

/**
 * The sample documents in {@code samples/} parse with Tika, contain the facts listed in {@code
 * samples-facts.md}, keep their structure, and the generated ones are reproducible and up to date.
 */
class SampleDocumentsTest {

  static final Path SAMPLES = Path.of("samples");

  record Row(String file, String language, String format, List<String> facts) {
    @Override
    public String toString() {
      return file;
    }
  }

  record Parsed(String text, String xml, Metadata metadata) {}

  static List<Row> rows() throws IOException {
    String md;
    try (InputStream in = SampleDocumentsTest.class.getResourceAsStream("/samples-facts.md")) {
      md = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Row> rows = new ArrayList<>();
    for (String line : md.split("\n")) {
      if (!line.startsWith("| ") || line.startsWith("| file ")) {
        continue;
      }
      String[] cells = line.substring(1, line.lastIndexOf('|')).split("\\|");
      List<String> c = Stream.of(cells).map(String::strip).toList();
      rows.add(new Row(c.get(0), c.get(1), c.get(2), c.subList(3, c.size())));
    }
    return rows;
  }

  static Parsed parse(Path file) throws Exception {
    AutoDetectParser parser = new AutoDetectParser();
    Metadata metadata = new Metadata();
    metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, file.getFileName().toString());
    BodyContentHandler text = new BodyContentHandler(-1);
    try (InputStream in = Files.newInputStream(file)) {
      parser.parse(in, text, metadata, context());
    }
    ContentHandler xml = new ToXMLContentHandler();
    try (InputStream in = Files.newInputStream(file)) {
      parser.parse(in, xml, new Metadata(), context());
    }
    return new Parsed(text.toString(), xml.toString(), metadata);
  }

  static ParseContext context() {
    ParseContext context = new ParseContext();
    context.set(EncodingDetector.class, new Utf8First());
    return context;
  }

  /**
   * Tika's default charset detection (juniversalchardet) reads the UTF-8 file
   * sincronizacion-incremental.md as GB18030 ("índice" becomes "铆ndice"), and a charset hint in the
   * metadata does not change that. Text that is valid UTF-8 is taken as UTF-8; anything else goes
   * to Tika's default detectors. Ancla's own parser needs the same rule.
   */
  static final class Utf8First implements EncodingDetector {
    static final int LIMIT = 64 * 1024;
    private final EncodingDetector fallback = new DefaultEncodingDetector();

    @Override
    public Charset detect(InputStream in, Metadata metadata) throws IOException {
      if (in == null) {
        return null;
      }
      in.mark(LIMIT);
      byte[] head;
      try {
        head = in.readNBytes(LIMIT);
      } finally {
        in.reset();
      }
      CharsetDecoder utf8 =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      // a full buffer may end inside a multi-byte sequence: then it is not the end of input
      CoderResult result =
          utf8.decode(ByteBuffer.wrap(head), CharBuffer.allocate(head.length), head.length < LIMIT);
      return result.isError() ? fallback.detect(in, metadata) : StandardCharsets.UTF_8;
    }
  }

  /** Whitespace of any kind, line breaks of wrapped PDF lines included, collapsed to one space. */
  static String normalize(String s) {
    return s.replace('\u00a0', ' ').replaceAll("\\s+", " ").strip();
  }

  @Test
  void everySampleIsListedAndEveryListedSampleExists() throws IOException {
    Set<String> onDisk = new TreeSet<>();
    try (Stream<Path> files = Files.list(SAMPLES)) {
      files.forEach(p -> onDisk.add(p.getFileName().toString()));
    }
    Set<String> listed = new TreeSet<>();
    rows().forEach(r -> listed.add(r.file()));
    assertEquals(listed, onDisk, "samples/ and samples-facts.md disagree");
  }

  @Test
  void mixOfLanguagesFormatsAndSizeAsPlanned() throws IOException {
    List<Row> rows = rows();
    long spanish = rows.stream().filter(r -> r.language().equals("es")).count();
    assertTrue(spanish * 3 >= rows.size() * 2 - 1, "about two thirds in Spanish");
    for (String ext : List.of(".pdf", ".docx", ".html", ".md", ".txt")) {
      long n = rows.stream().filter(r -> r.file().endsWith(ext)).count();
      assertTrue(n >= 2, "at least two " + ext + " samples, found " + n);
    }
    long total = 0;
    try (Stream<Path> files = Files.list(SAMPLES)) {
      for (Path p : files.toList()) {
        total += Files.size(p);
      }
    }
    assertTrue(total < 1_000_000, "samples/ must stay under 1 MB, is " + total + " bytes");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void tikaExtractsTextWithTheKeyFacts(Row row) throws Exception {
    Parsed parsed = parse(SAMPLES.resolve(row.file()));
    String text = normalize(parsed.text());
    assertTrue(text.length() >= 100, row.file() + ": only " + text.length() + " chars");
    int words = text.split(" ").length;
    assertTrue(words >= 150 && words <= 650, row.file() + ": " + words + " words");
    assertEquals(3, row.facts().size(), row.file() + ": three facts per row");
    for (String fact : row.facts()) {
      assertTrue(
          text.contains(normalize(fact)), row.file() + ": fact not found in Tika text: " + fact);
    }
    // no mis-decoded characters: UTF-8 read as Latin-1 ("Ã"), as a CJK charset, or undecodable
    assertTrue(
        text.chars().noneMatch(c -> c == 'Ã' || c == '\uFFFD' || (c >= 0x2E80 && c <= 0x9FFF)),
        row.file() + ": mis-decoded text");
    if (row.language().equals("es")) {
      assertTrue(text.matches("(?s).*[áéíóúñ¿].*"), row.file() + ": accents lost");
    }
  }

  /**
   * The samples are what a new user's first questions are answered from: a variable they name must
   * be one Ancla reads, or the chat gives wrong set-up advice (ANCLA_CHAT_URL once).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void everyVariableASampleNamesIsOneAnclaReads(Row row) throws Exception {
    String text = parse(SAMPLES.resolve(row.file())).text();
    Matcher names = Pattern.compile("\\b(ANCLA|AWS)_[A-Z0-9_]*[A-Z0-9]").matcher(text);
    Set<String> unknown = new TreeSet<>();
    while (names.find()) {
      String name = names.group();
      if (!dev.ancla.config.ConfigLoader.DEFAULTS.containsKey(name)
          && !dev.ancla.config.ConfigLoader.READ_ELSEWHERE.contains(name)) {
        unknown.add(name);
      }
    }
    assertEquals(Set.of(), unknown, row.file() + " names variables Ancla does not read");
  }

  @Test
  void docxHeadingsBecomeHtmlHeadings() throws Exception {
    for (String name :
        List.of("despliegue-digitalocean-app-platform.docx", "architecture-overview.docx")) {
      Parsed parsed = parse(SAMPLES.resolve(name));
      List<String> h1 = elements(parsed.xml(), "h1");
      List<String> h2 = elements(parsed.xml(), "h2");
      assertEquals(1, h1.size(), name + ": one <h1>, got " + h1);
      assertEquals(parsed.metadata().get(TikaCoreProperties.TITLE), h1.getFirst(), name);
      assertTrue(h2.size() >= 4, name + ": several <h2>, got " + h2);
    }
    Parsed arch = parse(SAMPLES.resolve("architecture-overview.docx"));
    assertTrue(elements(arch.xml(), "h3").contains("Chunking"), "architecture: <h3>Chunking");
  }

  @Test
  void odtHasHeadingsAndTable() throws Exception {
    Parsed parsed = parse(SAMPLES.resolve("formatos-admitidos.odt"));
    assertEquals(List.of("Formatos de documento admitidos"), elements(parsed.xml(), "h1"));
    assertTrue(elements(parsed.xml(), "h2").contains("Tabla de formatos"));
    assertTrue(parsed.xml().contains("<table"), "a <table>");
    assertEquals(
        "Formatos de documento admitidos", parsed.metadata().get(TikaCoreProperties.TITLE));
  }

  @Test
  void pdfsHaveTitlePagesAndFixedDates() throws Exception {
    Parsed backups = parse(SAMPLES.resolve("copias-de-seguridad-s3.pdf"));
    assertEquals(
        "Copias de seguridad en S3 y restauración al arrancar",
        backups.metadata().get(TikaCoreProperties.TITLE));
    assertEquals(3, backups.metadata().getInt(PagedText.N_PAGES));
    assertTrue(
        backups.metadata().get(TikaCoreProperties.CREATED).startsWith("2026-11-25T00:00:00"),
        backups.metadata().get(TikaCoreProperties.CREATED));
    // each page is its own <div class="page">; the retention fact is on page 2
    List<String> pages = elements(backups.xml(), "div");
    assertEquals(3, pages.size());
    assertTrue(normalize(pages.get(1)).contains("la retención mínima es de 2 instantáneas"));

    Parsed notes = parse(SAMPLES.resolve("release-notes-0.1.pdf"));
    assertEquals("Ancla 0.1 release notes", notes.metadata().get(TikaCoreProperties.TITLE));
  }

  @Test
  void generatorIsReproducibleAndCommittedFilesAreCurrent(@TempDir Path tmp) throws Exception {
    List<Path> first = SampleDocuments.writeAll(tmp.resolve("a"));
    List<Path> second = SampleDocuments.writeAll(tmp.resolve("b"));
    assertEquals(first.size(), second.size());
    for (int i = 0; i < first.size(); i++) {
      assertArrayEquals(
          Files.readAllBytes(first.get(i)),
          Files.readAllBytes(second.get(i)),
          first.get(i).getFileName() + " differs between two runs");
      // text, not bytes: a PDFBox or POI upgrade may change bytes without the samples being stale
      Path committed = SAMPLES.resolve(first.get(i).getFileName());
      assertEquals(
          normalize(parse(first.get(i)).text()),
          normalize(parse(committed).text()),
          committed + " is stale: run SampleDocuments (see its javadoc) and commit samples/");
    }
  }

  /** Text content of every element with that tag name, markup stripped. */
  static List<String> elements(String xml, String tag) {
    Pattern p = Pattern.compile("<" + tag + "(?:\\s[^>]*)?>(.*?)</" + tag + ">", Pattern.DOTALL);
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(xml);
    while (m.find()) {
      out.add(unescape(m.group(1).replaceAll("<[^>]+>", "")).strip());
    }
    return out;
  }

  static String unescape(String s) {
    return s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
  }
}
