package dev.ancla.sync;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.ancla.index.IndexSchema;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Remembers which files were in flight, so that a file that kills the process (a native crash, the
 * kernel's OOM killer) is not retried forever: one bad file would otherwise put a container
 * platform into a restart loop.
 *
 * <p>Contract: a file is recorded (key and version) before it is parsed and dropped once the commit
 * that holds it is durable. A sync that finds a file recorded by a process that died retries it
 * once, alone ({@link Triage#suspects}); a file recorded by two processes that died is {@link
 * Triage#crashed} and is failed without being parsed, until its version changes. A file of the same
 * version that has never been in flight during a death is {@link Triage#fresh}.
 *
 * <p>The record is a small text file in the data directory, replaced atomically (temp + rename) at
 * each change and not fsynced: it must survive the death of the process, which the page cache does;
 * a machine that loses power loses at most a retry count. One instance per data directory, whose
 * lock guarantees that a record found at the start of a sync was left by a dead process (or by a
 * sync of this process that failed, which then counts as a death: at worst one more retry).
 * Thread-safe.
 */
public final class CrashLedger {
  /** What planning makes of the files to index, in plan order within each list. */
  record Triage(
      List<SyncPlan.Item> crashed, List<SyncPlan.Item> suspects, List<SyncPlan.Item> fresh) {}

  private record Record(String version, int deaths) {}

  private final Optional<Path> file;
  private final Map<String, Record> inFlight = new LinkedHashMap<>();
  private final Set<String> written = new HashSet<>();

  private CrashLedger(Optional<Path> file) {
    this.file = file;
  }

  /** A ledger kept in {@code file}, e.g. {@code <data dir>/in-flight.tsv}. */
  public static CrashLedger at(Path file) {
    return new CrashLedger(Optional.of(file));
  }

  /** A ledger that remembers nothing, for syncs that need no crash protection. */
  public static CrashLedger none() {
    return new CrashLedger(Optional.empty());
  }

  /** Sorts {@code items} by how often they were in flight when a process died. */
  synchronized Triage triage(List<SyncPlan.Item> items) throws IOException {
    Map<String, Record> left = read();
    inFlight.clear();
    written.clear();
    var crashed = new ArrayList<SyncPlan.Item>();
    var suspects = new ArrayList<SyncPlan.Item>();
    var fresh = new ArrayList<SyncPlan.Item>();
    for (SyncPlan.Item item : items) {
      Record record = left.get(key(item));
      if (record == null || !record.version().equals(version(item))) {
        fresh.add(item);
      } else if (record.deaths() >= 2) {
        crashed.add(item);
      } else {
        suspects.add(item);
        inFlight.put(key(item), record); // kept until it commits, or it would lose its count
      }
    }
    write();
    return new Triage(crashed, suspects, fresh);
  }

  /** Before a file is parsed: one more attempt is on record. */
  synchronized void started(SyncPlan.Item item) throws IOException {
    String key = key(item);
    String version = version(item);
    Record before = inFlight.get(key);
    int deaths = before != null && before.version().equals(version) ? before.deaths() : 0;
    inFlight.put(key, new Record(version, deaths + 1));
    written.remove(key);
    write();
  }

  /** After a file's entry (OK or failed) is written to the index; it clears at the next commit. */
  synchronized void written(String docKey) {
    written.add(docKey);
  }

  /** After a commit: the files written before it are done. */
  synchronized void committed() throws IOException {
    if (written.isEmpty()) return;
    inFlight.keySet().removeAll(written);
    written.clear();
    write();
  }

  /** The registry's reason for a {@link Triage#crashed} file. */
  static final String REASON =
      "crashed: this file crashed the indexer twice (the process died while on it); it is tried"
          + " again when it changes";

  private static String key(SyncPlan.Item item) {
    return IndexSchema.docKey(item.source().id(), item.item().id());
  }

  private static String version(SyncPlan.Item item) {
    return item.item().version();
  }

  private Map<String, Record> read() throws IOException {
    var records = new LinkedHashMap<String, Record>();
    if (file.isEmpty() || !Files.exists(file.get())) return records;
    for (String line : Files.readAllLines(file.get(), UTF_8)) {
      String[] fields = line.split("\t", 3);
      if (fields.length != 3) continue; // a torn line of a machine crash: at worst a lost count
      try {
        records.put(
            URLDecoder.decode(fields[2], UTF_8),
            new Record(fields[1], Integer.parseInt(fields[0])));
      } catch (IllegalArgumentException _) {
        // same: a damaged line only forgets one count
      }
    }
    return records;
  }

  private void write() throws IOException {
    if (file.isEmpty()) return;
    Path target = file.get();
    if (inFlight.isEmpty()) {
      Files.deleteIfExists(target);
      return;
    }
    var text = new StringBuilder();
    inFlight.forEach(
        (key, r) ->
            text.append(r.deaths())
                .append('\t')
                .append(r.version())
                .append('\t')
                .append(URLEncoder.encode(key, UTF_8))
                .append('\n'));
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(tmp, text, UTF_8);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
