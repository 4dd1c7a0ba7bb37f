package dev.ancla.ingest.parse;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.AutoDetectReader;
import org.apache.tika.detect.EncodingDetector;
import org.apache.tika.exception.TikaException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.html.DefaultHtmlMapper;
import org.apache.tika.parser.html.HtmlMapper;
import org.apache.tika.parser.microsoft.OfficeParserConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.xml.sax.ContentHandler;

/**
 * The {@link DocumentParser} for every format Ancla indexes: Tika for binary and markup formats,
 * its own readers for Markdown, plain text and CSV (which Tika reads as one undivided run of text).
 *
 * <p>Order of checks: size (before any byte is parsed), readability, then on a separate daemon
 * thread, under the timeout: type detection, the zip-bomb pre-check, and the parse. A parse that
 * times out is interrupted; most parsers stop soon after (reads and output check the interrupt),
 * but one stuck in pure computation runs on in the background until it ends.
 *
 * <p>Embedded documents (images in a DOCX, attachments in a PDF) are not parsed, and there is no
 * OCR. Thread-safe: one instance serves all threads.
 */
public final class TikaDocumentParser implements DocumentParser {
  private final ParseLimits limits;
  private final AutoDetectParser tika; // thread-safe; costs 0.3 s to build, so built once
  private final EncodingDetector encodings;
  private final FormatDetector formats;
  private final AtomicLong threads = new AtomicLong();

  public TikaDocumentParser(ParseLimits limits) {
    this.limits = limits;
    TikaConfig config = TikaConfig.getDefaultConfig();
    this.tika = new AutoDetectParser(config);
    this.encodings = new Utf8FirstEncodingDetector(config.getEncodingDetector());
    this.formats = new FormatDetector(tika.getDetector());
  }

  /** With {@link ParseLimits#defaults()}. */
  public TikaDocumentParser() {
    this(ParseLimits.defaults());
  }

  /**
   * {@inheritDoc}
   *
   * @throws CancellationException if the calling thread is interrupted while it waits; that says
   *     nothing about the file, so it is not a {@link ParseFailure}. The interrupt flag stays set.
   */
  @Override
  public ParsedDocument parse(Path file, String name) throws ParseFailure {
    long size;
    try {
      size = Files.size(file);
      if (!Files.isRegularFile(file)) {
        throw new ParseFailure(ParseFailure.Kind.UNREADABLE, "it is not a regular file");
      }
      if (size > limits.maxFileBytes()) throw tooLarge(size);
      if (size == 0) throw new ParseFailure(ParseFailure.Kind.EMPTY, "the file is empty (0 bytes)");
      try (InputStream _ = Files.newInputStream(file)) {
        // opened only to learn now, not on the worker, that it cannot be read
      }
    } catch (IOException e) {
      throw FailureClassifier.unreadable(e);
    }
    return withTimeout(() -> parseReadable(file, name));
  }

  private ParseFailure tooLarge(long size) {
    return new ParseFailure(
        ParseFailure.Kind.TOO_LARGE,
        "the file is %s; the limit is %s. Raise ANCLA_MAX_FILE_MB to index it"
            .formatted(Sizes.describe(size), Sizes.describe(limits.maxFileBytes())));
  }

  private interface Task {
    ParsedDocument run() throws Exception;
  }

  /** Runs the task on its own daemon thread and waits at most the timeout for it. */
  private ParsedDocument withTimeout(Task task) throws ParseFailure {
    var result = new CompletableFuture<ParsedDocument>();
    Thread worker =
        Thread.ofPlatform()
            .daemon()
            .name("ancla-parse-" + threads.incrementAndGet())
            .start(
                () -> {
                  try {
                    result.complete(task.run());
                  } catch (Throwable t) { // StackOverflowError included: reported, not lost
                    result.completeExceptionally(t);
                  }
                });
    try {
      return result.get(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException _) {
      worker.interrupt();
      throw new ParseFailure(
          ParseFailure.Kind.TIMEOUT,
          "parsing took longer than %s; if the file is just big, raise ANCLA_PARSE_TIMEOUT_SECONDS"
              .formatted(describe(limits.timeout())));
    } catch (InterruptedException e) {
      worker.interrupt();
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while parsing");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ParseFailure failure) throw failure;
      if (e.getCause() instanceof LinkageError broken) { // a broken build, not a broken file
        throw new IllegalStateException("Tika is not installed correctly: " + broken, broken);
      }
      throw FailureClassifier.classify(e.getCause(), ""); // failed before its type was known
    }
  }

  private static String describe(java.time.Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /** On the worker thread. */
  private ParsedDocument parseReadable(Path file, String name) throws Exception {
    var format = formats.detect(file, name);
    var out = new BlockCollector(limits.maxChars());
    String title;
    try {
      title =
          switch (format.route()) {
            case TIKA -> {
              ZipBombCheck.check(file);
              yield tika(file, name, format.type(), out);
            }
            case MARKDOWN -> {
              try (var reader = text(file, name)) {
                yield MarkdownParser.parse(reader, out);
              }
            }
            case PLAIN_TEXT -> {
              try (var reader = text(file, name)) {
                PlainTextParser.parse(reader, out);
              }
              yield "";
            }
            case CSV -> {
              try (var reader = text(file, name)) {
                CsvParser.parse(reader, out);
              }
              yield "";
            }
          };
    } catch (ParseFailure failure) {
      throw failure;
    } catch (Exception | StackOverflowError problem) {
      if (Thread.currentThread().isInterrupted()) throw problem; // timed out; nobody is waiting
      if (!out.truncated()) {
        throw FailureClassifier.classify(problem, FormatDetector.describe(format.type()));
      }
      title = ""; // stopped at the character limit: what was collected is the document
    }
    if (out.blocks().isEmpty()) {
      throw new ParseFailure(ParseFailure.Kind.EMPTY, noText(format.type()));
    }
    if (title.isBlank()) title = out.firstHeading();
    return new ParsedDocument(title, format.type().toString(), out.blocks(), out.truncated());
  }

  private static String noText(MediaType type) {
    if (type.getSubtype().equals("pdf")) {
      return "no extractable text (scanned PDF? OCR is not enabled)";
    }
    return "no extractable text in this " + FormatDetector.describe(type);
  }

  /** Returns the title from the metadata, or "". */
  private String tika(Path file, String name, MediaType type, BlockCollector out) throws Exception {
    var metadata = new Metadata();
    metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, name.substring(name.lastIndexOf('/') + 1));
    metadata.set(Metadata.CONTENT_TYPE, type.toString());
    boolean slidesAreDivs =
        type.toString().equals("application/vnd.oasis.opendocument.presentation");
    ContentHandler handler =
        new StructureHandler(
            out,
            slidesAreDivs
                ? StructureHandler.PageMarks.BODY_DIVS
                : StructureHandler.PageMarks.CLASSES);
    try (var in = TikaInputStream.get(file, metadata)) {
      tika.parse(in, handler, metadata, context());
    } catch (Exception e) {
      // StructureHandler stops a parse at the character limit by throwing, and Tika wraps that
      // differently per parser; what matters is whether the collector is full
      if (!out.truncated()) throw e;
    }
    String title = metadata.get(TikaCoreProperties.TITLE);
    return title == null ? "" : BlockCollector.normalize(title);
  }

  /** A new context per parse: ParseContext is not thread-safe. */
  private ParseContext context() {
    var context = new ParseContext();
    var pdf = new PDFParserConfig();
    pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
    pdf.setExtractInlineImages(false);
    context.set(PDFParserConfig.class, pdf);
    var office = new OfficeParserConfig();
    office.setIncludeSlideMasterContent(false); // "Click to edit Master title style"
    office.setExtractMacros(false);
    context.set(OfficeParserConfig.class, office);
    context.set(HtmlMapper.class, new NoiseDroppingHtmlMapper());
    context.set(EncodingDetector.class, encodings);
    context.set(EmbeddedDocumentExtractor.class, new SkipEmbedded());
    return context;
  }

  /** Reader for a text file in its detected encoding (BOM, HTML meta, statistics). */
  private Reader text(Path file, String name) throws IOException, TikaException {
    var metadata = new Metadata();
    metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, name);
    return new AutoDetectReader(
        new BufferedInputStream(Files.newInputStream(file)), metadata, encodings);
  }

  /** Drops navigation and sidebars as well as Tika's defaults (script, style, ...). */
  private static final class NoiseDroppingHtmlMapper extends DefaultHtmlMapper {
    @Override
    public boolean isDiscardElement(String name) {
      return super.isDiscardElement(name)
          || switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "nav", "aside", "noscript", "template" -> true;
            default -> false;
          };
    }
  }

  /** Images and attachments inside a document are not its text; they are never parsed. */
  private static final class SkipEmbedded implements EmbeddedDocumentExtractor {
    @Override
    public boolean shouldParseEmbedded(Metadata metadata) {
      return false;
    }

    @Override
    public void parseEmbedded(
        InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml) {
      // never called: shouldParseEmbedded is false
    }
  }
}
