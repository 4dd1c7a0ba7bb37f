package dev.ancla.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where documents come from.
 *
 * <p>Contract: {@link #list()} returns every indexable file once, sorted by path; paths are stable
 * identities (the same file keeps its path across listings). {@link #localFile} gives a readable
 * local copy of a listed file; for a folder source that is the file itself.
 */
public interface LegacySource {

  /** Unique among the configured sources; stored with every document. */
  String id();

  /** Human description for logs, e.g. the folder path. */
  String describe();

  List<SourceEntry> list() throws IOException;

  Path localFile(SourceEntry entry) throws IOException;
}
