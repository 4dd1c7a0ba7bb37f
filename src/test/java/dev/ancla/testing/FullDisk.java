package dev.ancla.testing;

import dev.ancla.index.IndexStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.FilterIndexOutput;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

/**
 * A real file-system directory whose disk can be made full on demand: while full, every write and
 * every new file fails with the error the kernel gives, "No space left on device", and it reports
 * no free space. The files already written stay as they are.
 */
public final class FullDisk extends FilterDirectory implements IndexStore.FreeSpace {
  private final Path path;
  private volatile boolean full;

  public FullDisk(Directory in, Path path) {
    super(in);
    this.path = path;
  }

  public void fill() {
    full = true;
  }

  public void free() {
    full = false;
  }

  private void check() throws IOException {
    if (full) {
      throw new IOException("No space left on device");
    }
  }

  @Override
  public long usableSpace() throws IOException {
    return full ? 0 : Files.getFileStore(path).getUsableSpace();
  }

  @Override
  public IndexOutput createOutput(String name, IOContext context) throws IOException {
    check();
    return new Output(super.createOutput(name, context));
  }

  @Override
  public IndexOutput createTempOutput(String prefix, String suffix, IOContext context)
      throws IOException {
    check();
    return new Output(super.createTempOutput(prefix, suffix, context));
  }

  private final class Output extends FilterIndexOutput {
    Output(IndexOutput out) {
      super("full-disk(" + out + ")", out.getName(), out);
    }

    @Override
    public void writeByte(byte b) throws IOException {
      check();
      super.writeByte(b);
    }

    @Override
    public void writeBytes(byte[] b, int offset, int length) throws IOException {
      check();
      super.writeBytes(b, offset, length);
    }
  }
}
