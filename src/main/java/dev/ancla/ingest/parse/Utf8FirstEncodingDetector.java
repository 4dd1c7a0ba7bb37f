package dev.ancla.ingest.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.tika.detect.EncodingDetector;
import org.apache.tika.metadata.Metadata;

/**
 * Text that decodes as UTF-8 is UTF-8. Tika's statistical detectors read short Spanish UTF-8 text
 * as GB18030 ("índice" became "铆ndice"), while valid UTF-8 with accents is almost never another
 * encoding by accident. Anything else (UTF-16 with a byte-order mark, NUL bytes, Latin-1 bytes that
 * are not valid UTF-8) goes to Tika's detector.
 */
final class Utf8FirstEncodingDetector implements EncodingDetector {
  private static final int SAMPLE = 64 * 1024;

  private final EncodingDetector fallback;

  Utf8FirstEncodingDetector(EncodingDetector fallback) {
    this.fallback = fallback;
  }

  @Override
  public Charset detect(InputStream input, Metadata metadata) throws IOException {
    if (input == null) {
      return fallback.detect(null, metadata);
    }
    input.mark(SAMPLE);
    byte[] sample;
    try {
      sample = input.readNBytes(SAMPLE);
    } finally {
      input.reset();
    }
    if (isUtf8(sample, sample.length < SAMPLE)) {
      return StandardCharsets.UTF_8;
    }
    return fallback.detect(input, metadata);
  }

  /** Valid UTF-8 without NUL bytes or a UTF-16/32 byte-order mark. */
  static boolean isUtf8(byte[] bytes, boolean complete) {
    if (bytes.length >= 2
        && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)
            || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
      return false;
    }
    for (byte b : bytes) {
      if (b == 0) {
        return false;
      }
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, complete);
    if (result.isError()) {
      return false;
    }
    // a sample cut inside a multi-byte character leaves at most 3 bytes undecoded
    return complete ? !in.hasRemaining() : in.remaining() <= 3;
  }
}
