package dev.ancla.index;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;

/**
 * The check boot makes before trusting a local index (ARCHITECTURE.md decision 7): cheap enough for
 * every start, thorough enough to catch what a full disk or a crash leaves behind.
 *
 * <p>What it does: Lucene reads the newest commit ({@code segments_N} and every segment's {@code
 * .si}, both checksummed in full); every file the commit names must exist; every file of at most
 * {@link #FULL_CHECKSUM_MAX_BYTES} is read in full against its footer checksum (segments_N, .si,
 * .cfe, field infos and the other per-segment metadata, and whole small segments: the newest
 * segments, which are the ones a full disk or a crash hits); finally the index is opened as a
 * reader, which checks every larger file's length and footer structure (a truncated file fails
 * here). What it does not do: read every byte of the large files, as CheckIndex or restore do. That
 * scales with the index (hundreds of MB of reads on a start that should take a fraction of a
 * second) and catches only silent bit flips in old, long-fsynced segments; Lucene checks those
 * files' checksums again whenever it merges them.
 *
 * <p>A commit whose state is {@code building} is valid: an interrupted indexing resumes from it.
 */
public final class IndexCheck {
  /** Files up to this size are checksummed in full at every start. */
  public static final long FULL_CHECKSUM_MAX_BYTES = 1L << 20;

  private IndexCheck() {}

  /** What the check found. */
  public sealed interface Result {
    /** No directory, or no commit in it (nothing was ever committed there). */
    record Missing() implements Result {}

    /** The newest commit opens; {@code checkedBytes} were read in full to verify it. */
    record Valid(long generation, long checkedBytes) implements Result {}

    /** The newest commit cannot be trusted; {@code reason} says which file and why. */
    record Invalid(String reason) implements Result {}
  }

  /**
   * Thrown at boot when the local index is invalid and there is no snapshot store to restore from.
   * The message names the directory and what to do; nothing has been moved or deleted.
   */
  public static final class InvalidIndexException extends IOException {
    public InvalidIndexException(String message) {
      super(message);
    }
  }

  /**
   * Checks the index at {@code dir}. Throws only for environment failures (e.g. permission denied)
   * and for an index written by a newer Lucene, which is not damage and must not be moved aside.
   */
  public static Result check(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return new Result.Missing();
    }
    try (Directory directory = FSDirectory.open(dir)) {
      if (SegmentInfos.getLastCommitGeneration(directory.listAll()) < 0) {
        return new Result.Missing();
      }
      try {
        return check(directory);
      } catch (CorruptIndexException
          | IndexFormatTooOldException // also what Lucene says of a segments_N with a garbage
          // header
          | EOFException
          | NoSuchFileException
          | FileNotFoundException e) {
        return new Result.Invalid(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
  }

  private static Result check(Directory directory) throws IOException {
    SegmentInfos commit = SegmentInfos.readLatestCommit(directory);
    long checked = 0;
    for (String file : commit.files(true)) {
      long length =
          directory.fileLength(file); // NoSuchFileException when the commit names a lost file
      if (length <= FULL_CHECKSUM_MAX_BYTES) {
        try (IndexInput in = directory.openInput(file, IOContext.READONCE)) {
          CodecUtil.checksumEntireFile(in);
        }
        checked += length;
      }
    }
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      if (reader.getIndexCommit().getGeneration() != commit.getGeneration()) {
        throw new IOException(
            "the index changed while it was checked; is another process writing it?");
      }
    }
    return new Result.Valid(commit.getGeneration(), checked);
  }
}
