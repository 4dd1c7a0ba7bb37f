package dev.ancla.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Objects;

/**
 * Checks a snapshot in place: every blob is read (not stored) and checked for length, SHA-256 and
 * Lucene's footer checksum.
 */
public final class Verifier {
  private final BlobStore store;
  private final int threads;

  public Verifier(BlobStore store, int threads) {
    this.store = store;
    this.threads = threads;
  }

  /** Every problem found; empty when the snapshot is whole. */
  public List<String> verify(Manifest manifest) throws IOException {
    return Transfers.each(manifest.files(), threads, this::check).stream()
        .filter(Objects::nonNull)
        .toList();
  }

  private String check(Manifest.FileEntry file) throws IOException {
    Digest digest;
    try (InputStream in = store.open(file.blobKey())) {
      digest = Digest.of(in, null);
    } catch (NoSuchFileException e) {
      return file.name() + ": blob " + file.blobKey() + " is missing";
    }
    if (digest.size() != file.size()) {
      return reported(file, file.name() + ": " + digest.size() + " bytes, expected " + file.size());
    }
    if (!digest.sha256().equals(file.sha256())) {
      return reported(file, file.name() + ": SHA-256 mismatch, the blob is corrupt");
    }
    if (!digest.luceneFooterValid()) {
      return file.name() + ": Lucene footer checksum mismatch";
    }
    return null;
  }

  /** A damaged blob is reported to the writer, which repairs it ({@link DamageReports}). */
  private String reported(Manifest.FileEntry file, String problem) {
    DamageReports.report(store, file.blobKey(), "verify: " + problem);
    return problem;
  }
}
