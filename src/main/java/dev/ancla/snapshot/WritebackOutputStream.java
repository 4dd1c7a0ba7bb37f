package dev.ancla.snapshot;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writes to a file and starts its writeback while the download goes on: every {@link #STEP} bytes,
 * when no flush is in flight, a background thread calls {@code force(false)} on the channel, so the
 * disk writes overlap the download instead of all waiting for the final fsync. This changes no
 * durability guarantee: the caller still calls {@link #finish} and then {@code force(true)} on the
 * channel, which is the fsync that counts; it only has the last few MB left to write. On loopback a
 * 36 MB file's single fsync at the end took 15-25 ms (docs/BENCHMARKS.md section 6).
 */
final class WritebackOutputStream extends OutputStream {
  static final long STEP = 8L << 20;

  private final FileChannel channel;
  private long written;
  private long flushedUpTo;
  private Thread flusher;
  private volatile IOException failure;

  WritebackOutputStream(FileChannel channel) {
    this.channel = channel;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    written += len;
    if (written - flushedUpTo >= STEP && (flusher == null || !flusher.isAlive())) {
      throwFailure();
      flushedUpTo = written;
      flusher =
          Thread.ofPlatform()
              .daemon()
              .name("restore-writeback")
              .start(
                  () -> {
                    try {
                      channel.force(false);
                    } catch (IOException e) {
                      failure = e;
                    } catch (UncheckedIOException e) {
                      failure = e.getCause();
                    }
                  });
    }
  }

  /** Waits for the background flush in flight, if any; throws what it failed with. */
  void finish() throws IOException {
    if (flusher != null) {
      try {
        flusher.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted waiting for a file's writeback");
      }
    }
    throwFailure();
  }

  private void throwFailure() throws IOException {
    IOException e = failure;
    if (e != null) {
      throw new IOException("writeback failed: " + e.getMessage(), e);
    }
  }

  /** Does not close the channel (its owner does), but never leaves a flush running on it. */
  @Override
  public void close() throws IOException {
    if (flusher != null) {
      boolean interrupted = false;
      while (flusher.isAlive()) {
        try {
          flusher.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
