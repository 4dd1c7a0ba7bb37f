package dev.ancla.index;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boot-time check on real Lucene directories, with files larger than the full-checksum limit.
 */
class IndexCheckTest {
  @TempDir Path dir;

  /** One segment, not compound, whose stored fields (.fdt) are 3 MiB. */
  private Path bigIndex() throws IOException {
    Path index = dir.resolve("index");
    byte[] blob = new byte[3 << 20];
    new Random(7).nextBytes(blob);
    try (var fs = FSDirectory.open(index);
        var writer = new IndexWriter(fs, new IndexWriterConfig().setUseCompoundFile(false))) {
      var doc = new Document();
      doc.add(new StoredField("blob", blob));
      writer.addDocument(doc);
      writer.commit();
    }
    return index;
  }

  private static Path fdt(Path index) throws IOException {
    try (var files = Files.list(index)) {
      Path fdt = files.filter(p -> p.toString().endsWith(".fdt")).findFirst().orElseThrow();
      assertTrue(Files.size(fdt) > IndexCheck.FULL_CHECKSUM_MAX_BYTES);
      return fdt;
    }
  }

  @Test
  void aMissingDirectoryOrOneWithoutACommitIsMissingNotInvalid() throws IOException {
    assertInstanceOf(IndexCheck.Result.Missing.class, IndexCheck.check(dir.resolve("none")));
    Files.writeString(
        Files.createDirectories(dir.resolve("partial")).resolve("_0.fdt"), "left by a crash");
    assertInstanceOf(IndexCheck.Result.Missing.class, IndexCheck.check(dir.resolve("partial")));
  }

  @Test
  void aWholeIndexIsValidAndItsLargeFilesAreNotReadInFull() throws IOException {
    Path index = bigIndex();
    var valid = assertInstanceOf(IndexCheck.Result.Valid.class, IndexCheck.check(index));
    assertTrue(valid.checkedBytes() < Files.size(fdt(index)), "only small files are read in full");
  }

  @Test
  void aTruncatedLargeFileIsCaughtWhenTheReaderOpens() throws IOException {
    Path index = bigIndex();
    try (var raf = new RandomAccessFile(fdt(index).toFile(), "rw")) {
      raf.setLength(raf.length() - 100);
    }
    var invalid = assertInstanceOf(IndexCheck.Result.Invalid.class, IndexCheck.check(index));
    assertTrue(invalid.reason().contains(".fdt"), invalid.reason());
  }
}
