package dev.ancla.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;
import org.apache.lucene.codecs.CodecUtil;

/**
 * One pass over a file's bytes: length, SHA-256, and Lucene's footer check. Every Lucene file ends
 * with a 16-byte footer (magic, algorithm 0, CRC32 of everything before the CRC), so a stream can
 * be checked without a Directory: the same test as {@link CodecUtil#checksumEntireFile}.
 *
 * @param sha256 hex, or "" when it was not computed
 * @param footerCrc the CRC32 the footer holds (valid or not), or -1 when there is no footer
 */
record Digest(long size, String sha256, boolean luceneFooterValid, long footerCrc) {
  private static final int FOOTER = CodecUtil.footerLength(); // 16

  /** Reads {@code in} to its end, copying to {@code copy} when it is not null. */
  static Digest of(InputStream in, OutputStream copy) throws IOException {
    return of(in, copy, true);
  }

  /**
   * As {@link #of(InputStream, OutputStream)}; without the SHA-256 when {@code sha256} is false
   * (the length and the footer's CRC32 are always checked).
   */
  static Digest of(InputStream in, OutputStream copy, boolean sha256) throws IOException {
    MessageDigest sha = sha256 ? newSha256() : null;
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[1 << 16];
    byte[] tail = new byte[FOOTER]; // the last bytes seen, kept out of the CRC until the end
    int tailLength = 0;
    long size = 0;
    for (int n; (n = in.read(buffer)) >= 0; ) {
      if (n == 0) {
        continue;
      }
      if (sha != null) {
        sha.update(buffer, 0, n);
      }
      if (copy != null) {
        copy.write(buffer, 0, n);
      }
      size += n;
      // everything except the final FOOTER bytes goes into the CRC now
      int total = tailLength + n;
      int release = Math.max(0, total - FOOTER);
      int fromTail = Math.min(release, tailLength);
      crc.update(tail, 0, fromTail);
      crc.update(buffer, 0, release - fromTail);
      byte[] next = new byte[FOOTER];
      int keep = total - release;
      int keepFromTail = tailLength - fromTail;
      System.arraycopy(tail, fromTail, next, 0, keepFromTail);
      System.arraycopy(buffer, release - fromTail, next, keepFromTail, keep - keepFromTail);
      tail = next;
      tailLength = keep;
    }
    boolean footer = false;
    long stored = -1;
    if (tailLength == FOOTER) {
      ByteBuffer b = ByteBuffer.wrap(tail); // big-endian, as CodecUtil writes footers
      crc.update(tail, 0, 8);
      stored = b.getLong(8);
      footer =
          b.getInt(0) == CodecUtil.FOOTER_MAGIC && b.getInt(4) == 0 && stored == crc.getValue();
    }
    return new Digest(
        size, sha == null ? "" : HexFormat.of().formatHex(sha.digest()), footer, stored);
  }

  /**
   * The CRC32 in a local Lucene file's footer, read from its last 16 bytes; empty when the file
   * does not end with a footer.
   */
  static java.util.Optional<Long> footerCrc(java.nio.file.Path file) throws IOException {
    try (var channel = java.nio.channels.FileChannel.open(file)) {
      long size = channel.size();
      if (size < FOOTER) {
        return java.util.Optional.empty();
      }
      ByteBuffer b = ByteBuffer.allocate(FOOTER);
      while (b.hasRemaining()) {
        if (channel.read(b, size - FOOTER + b.position()) < 0) {
          return java.util.Optional.empty();
        }
      }
      boolean footer = b.getInt(0) == CodecUtil.FOOTER_MAGIC && b.getInt(4) == 0;
      return footer ? java.util.Optional.of(b.getLong(8)) : java.util.Optional.empty();
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
