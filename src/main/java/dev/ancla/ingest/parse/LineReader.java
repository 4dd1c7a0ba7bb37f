package dev.ancla.ingest.parse;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Reader;

/**
 * Reads lines like {@link java.io.BufferedReader#readLine()}, but never longer than a bound: a line
 * past it comes back in pieces, so a 60 MB file without line breaks costs no 120 MB string. Also
 * stops with {@link InterruptedIOException} once its thread is interrupted (a timed-out parse).
 */
final class LineReader {
  static final int MAX_LINE = 8_192;

  private final Reader in;
  private final char[] buffer = new char[8_192];
  private int position;
  private int limit;
  private boolean skipLineFeed;
  private String carry = ""; // the words after the cut of an overlong line

  LineReader(Reader in) {
    this.in = in;
  }

  /** The next line without its terminator, or null at the end of input. */
  String readLine() throws IOException {
    var line = new StringBuilder(carry);
    carry = "";
    while (true) {
      if (position == limit && !fill()) return line.isEmpty() ? null : line.toString();
      char c = buffer[position++];
      if (skipLineFeed) {
        skipLineFeed = false;
        if (c == '\n') continue;
      }
      if (c == '\n') return line.toString();
      if (c == '\r') {
        skipLineFeed = true;
        return line.toString();
      }
      line.append(c);
      if (line.length() >= MAX_LINE) {
        int space = line.lastIndexOf(" ");
        if (space < MAX_LINE / 2) return line.toString(); // no word boundary nearby: hard cut
        carry = line.substring(space + 1);
        return line.substring(0, space);
      }
    }
  }

  private boolean fill() throws IOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("parse abandoned");
    }
    int n = in.read(buffer);
    if (n <= 0) return false;
    position = 0;
    limit = n;
    return true;
  }
}
