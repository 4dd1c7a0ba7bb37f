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
 */
record Digest(long size, String sha256, boolean luceneFooterValid) {
  private static final int FOOTER = CodecUtil.footerLength(); // 16

  /** Reads {@code in} to its end, copying to {@code copy} when it is not null. */
  static Digest of(InputStream in, OutputStream copy) throws IOException {
    MessageDigest sha = newSha256();
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[1 << 16];
    byte[] tail = new byte[FOOTER]; // the last bytes seen, kept out of the CRC until the end
    int tailLength = 0;
    long size = 0;
    for (int n; (n = in.read(buffer)) >= 0; ) {
      if (n == 0) {
        continue;
      }
      sha.update(buffer, 0, n);
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
    if (tailLength == FOOTER) {
      ByteBuffer b = ByteBuffer.wrap(tail); // big-endian, as CodecUtil writes footers
      crc.update(tail, 0, 8);
      footer =
          b.getInt(0) == CodecUtil.FOOTER_MAGIC
              && b.getInt(4) == 0
              && b.getLong(8) == crc.getValue();
    }
    return new Digest(size, HexFormat.of().formatHex(sha.digest()), footer);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
