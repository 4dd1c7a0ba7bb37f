package dev.ancla.ingest.parse;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The parser's own process, run by {@link ForkedDocumentParser}: a file that makes Tika loop, eat
 * memory or crash takes down this process, not the server, and a timeout ends in a kill instead of
 * a thread that burns a CPU forever (Tika cannot be interrupted).
 *
 * <p>Protocol, over stdin and stdout with {@link DataInputStream} framing: the process says {@code
 * 'R'} when it is ready; then a request is the file's path and name; the answer is {@code 'D'} and
 * a document (title, media type, truncated, blocks), {@code 'F'} and a {@link ParseFailure} (kind,
 * message), or {@code 'E'} and an error message for a problem that is not the file's. Strings are
 * an int length and UTF-8 bytes. End of input ends the process, so it never outlives its parent.
 * Arguments: max file bytes, max chars, timeout ms.
 */
public final class ParserProcess {
  private ParserProcess() {}

  public static void main(String[] args) throws IOException {
    var limits = limits(args);
    serve(new TikaDocumentParser(limits));
  }

  static ParseLimits limits(String[] args) {
    return new ParseLimits(
        Long.parseLong(args[0]),
        Integer.parseInt(args[1]),
        Duration.ofMillis(Long.parseLong(args[2])));
  }

  /** Answers requests on stdin with {@code parser} until stdin ends; then exits the JVM. */
  static void serve(DocumentParser parser) throws IOException {
    // stdout carries the protocol: whatever a library prints goes to stderr instead
    var out =
        new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, UTF_8));
    var in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
    out.writeByte('R'); // ready: the JVM's start does not count against the first file's timeout
    out.flush();
    while (true) {
      Path file;
      String name;
      try {
        file = Path.of(readString(in));
        name = readString(in);
      } catch (EOFException _) {
        System.exit(0);
        return;
      }
      try {
        writeDocument(out, parser.parse(file, name));
      } catch (ParseFailure failure) {
        out.writeByte('F');
        writeString(out, failure.kind().name());
        writeString(out, failure.getMessage() == null ? "" : failure.getMessage());
      } catch (RuntimeException | LinkageError e) {
        out.writeByte('E');
        writeString(out, e.toString());
      }
      out.flush();
      if (Thread.activeCount() > 64) {
        System.exit(0); // timed-out parse threads pile up: start afresh, the parent restarts us
      }
    }
  }

  static void writeRequest(DataOutputStream out, Path file, String name) throws IOException {
    writeString(out, file.toString());
    writeString(out, name);
    out.flush();
  }

  /** Reads one answer: the document, or throws the failure the child reported. */
  static ParsedDocument readAnswer(DataInputStream in) throws IOException, ParseFailure {
    int tag = in.readUnsignedByte();
    switch (tag) {
      case 'D' -> {
        String title = readString(in);
        String type = readString(in);
        boolean truncated = in.readBoolean();
        int count = in.readInt();
        List<Block> blocks = new ArrayList<>(Math.min(count, 100_000));
        for (int i = 0; i < count; i++) {
          var kind = Block.Kind.values()[in.readUnsignedByte()];
          int level = in.readInt();
          int page = in.readInt();
          blocks.add(new Block(kind, level, readString(in), page));
        }
        return new ParsedDocument(title, type, blocks, truncated);
      }
      case 'F' -> {
        var kind = ParseFailure.Kind.valueOf(readString(in));
        throw new ParseFailure(kind, readString(in));
      }
      case 'E' -> throw new IllegalStateException("the parser process failed: " + readString(in));
      default -> throw new IOException("the parser process answered with tag " + tag);
    }
  }

  private static void writeDocument(DataOutputStream out, ParsedDocument doc) throws IOException {
    out.writeByte('D');
    writeString(out, doc.title());
    writeString(out, doc.mediaType());
    out.writeBoolean(doc.truncated());
    out.writeInt(doc.blocks().size());
    for (Block block : doc.blocks()) {
      out.writeByte(block.kind().ordinal());
      out.writeInt(block.level());
      out.writeInt(block.page());
      writeString(out, block.text());
    }
  }

  private static void writeString(DataOutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > (256 << 20)) {
      throw new IOException("a string of " + length + " bytes on the parser's pipe");
    }
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) throw new EOFException("the parser process stopped mid-answer");
    return new String(bytes, UTF_8);
  }
}
