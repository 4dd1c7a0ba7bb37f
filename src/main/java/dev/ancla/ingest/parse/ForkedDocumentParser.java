package dev.ancla.ingest.parse;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses in child JVMs ({@link ParserProcess}), one file at a time each, so that what Tika does to
 * a hostile file stays there: a parse that passes the timeout is ended by killing its process (a
 * thread in Tika cannot be interrupted, and an abandoned one kept a CPU busy and its memory held);
 * a parser that runs out of memory or crashes fails that file, not the server. A process that
 * answered is reused for the next file; a killed or dead one is replaced on the next call; one idle
 * for a minute ends.
 *
 * <p>Contract: as {@link DocumentParser}; thread-safe, with one process per concurrent caller.
 * Children read their requests from a pipe and exit at its end, so they never outlive this JVM,
 * even when it is killed. Each child has its own heap ({@code -Xmx}), which bounds what parsing can
 * take from the machine.
 */
public final class ForkedDocumentParser implements DocumentParser, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ForkedDocumentParser.class);

  /** Heap of each parser process: Tika on a 64 MB office file stays well below it. */
  static final String CHILD_HEAP = "-Xmx768m";

  /** How long a new parser process may take to be ready (a JVM's start, on a loaded machine). */
  private static final long START_SECONDS = 120;

  /** Beyond the timeout, for the child's own timeout to answer first. */
  private static final long GRACE_MILLIS = 2_000;

  private final ParseLimits limits;
  private final List<String> command;

  /** Most recently used first; each with when it went idle. */
  private final ConcurrentLinkedDeque<Idle> idle = new ConcurrentLinkedDeque<>();

  private final ScheduledExecutorService reaper =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("ancla-parse-reaper").factory());
  private volatile boolean closed;

  public ForkedDocumentParser(ParseLimits limits) {
    this(limits, ParserProcess.class.getName());
  }

  /** With another main class in the children, one that speaks {@link ParserProcess}'s protocol. */
  ForkedDocumentParser(ParseLimits limits, String mainClass) {
    this.limits = limits;
    this.command = command(limits, mainClass);
    reaper.scheduleWithFixedDelay(this::endIdle, 15, 15, TimeUnit.SECONDS);
  }

  private void endIdle() {
    long now = System.nanoTime();
    Idle oldest;
    while ((oldest = idle.peekLast()) != null && now - oldest.sinceNanos() > IDLE_NANOS) {
      if (idle.removeLastOccurrence(oldest)) oldest.child().end();
    }
  }

  private void release(Child child) {
    idle.push(new Idle(child, System.nanoTime()));
  }

  /** A running parser process and its pipes. */
  private record Child(Process process, DataOutputStream in, DataInputStream out) {
    void kill() {
      process.destroyForcibly();
    }

    /** End of input: the child exits. */
    void end() {
      try {
        in.close();
      } catch (IOException _) {
        kill();
      }
    }
  }

  private record Idle(Child child, long sinceNanos) {}

  /**
   * A parser process idle this long ends, so a server between syncs does not keep the memory of
   * processes it does not use.
   */
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

  @Override
  public ParsedDocument parse(Path file, String name) throws ParseFailure {
    if (closed) throw new IllegalStateException("the parser is closed");
    preCheck(file);
    Child child = take();
    var answer =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                ParserProcess.writeRequest(child.in(), file.toAbsolutePath(), name);
                return ParserProcess.readAnswer(child.out());
              } catch (IOException | ParseFailure e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            },
            task -> Thread.ofPlatform().daemon().name("ancla-parse-pipe").start(task));
    // the child has its own, shorter timeout; this one only catches a child that stopped answering
    long waitMillis = limits.timeout().toMillis() + GRACE_MILLIS;
    try {
      ParsedDocument doc = answer.get(waitMillis, TimeUnit.MILLISECONDS);
      release(child);
      return doc;
    } catch (TimeoutException _) {
      child.kill();
      throw timeout();
    } catch (InterruptedException e) {
      child.kill();
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while parsing");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ParseFailure failure) {
        if (failure.kind() == ParseFailure.Kind.TIMEOUT) {
          child.kill(); // its parse thread still runs in there: end it with the process
        } else {
          release(child);
        }
        throw failure;
      }
      child.kill();
      if (cause instanceof IllegalStateException broken) throw broken;
      throw died(child, cause);
    }
  }

  /** What the child would say before parsing, said here: no process for a file it refuses. */
  private void preCheck(Path file) throws ParseFailure {
    try {
      if (!Files.isRegularFile(file)) {
        throw new ParseFailure(ParseFailure.Kind.UNREADABLE, "it is not a regular file");
      }
    } catch (SecurityException e) {
      throw new ParseFailure(ParseFailure.Kind.UNREADABLE, e.getMessage());
    }
  }

  private ParseFailure timeout() {
    long seconds = limits.timeout().toSeconds();
    return new ParseFailure(
        ParseFailure.Kind.TIMEOUT,
        "parsing took longer than %d s; if the file is just big, raise ANCLA_PARSE_TIMEOUT_SECONDS"
            .formatted(seconds));
  }

  private static ParseFailure died(Child child, Throwable cause) {
    String exit;
    try {
      exit =
          child.process().waitFor(2, TimeUnit.SECONDS)
              ? "exit " + child.process().exitValue()
              : "killed";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit = "unknown exit";
    }
    log.warn("a parser process died ({}): {}", exit, cause.toString());
    return new ParseFailure(
        ParseFailure.Kind.CORRUPT,
        "the parser crashed on this file (its process ended: " + exit + ")",
        cause);
  }

  private Child take() {
    Idle taken;
    while ((taken = idle.poll()) != null) {
      if (taken.child().process().isAlive()) return taken.child();
    }
    return start();
  }

  /** Starts a child and waits (at most {@link #START_SECONDS}) until it says it is ready. */
  private Child start() {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a parser process: " + e.getMessage(), e);
    }
    var child =
        new Child(
            process,
            new DataOutputStream(new BufferedOutputStream(process.getOutputStream())),
            new DataInputStream(new BufferedInputStream(process.getInputStream())));
    var ready =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return child.out().readUnsignedByte();
              } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            },
            task -> Thread.ofPlatform().daemon().name("ancla-parse-pipe").start(task));
    try {
      int tag = ready.get(START_SECONDS, TimeUnit.SECONDS);
      if (tag == 'R') return child;
      throw new IllegalStateException("a parser process started with tag " + tag);
    } catch (InterruptedException e) {
      child.kill();
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while starting a parser process");
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      child.kill();
      throw new IllegalStateException(
          "a parser process did not start within " + START_SECONDS + " s: " + e, e);
    }
  }

  private static List<String> command(ParseLimits limits, String mainClass) {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            CHILD_HEAP,
            "-XX:+UseSerialGC",
            "-Xss16m", // deeply nested documents
            "-Xlog:disable",
            "-Xlog:all=warning:stderr",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            mainClass,
            Long.toString(limits.maxFileBytes()),
            Integer.toString(limits.maxChars()),
            Long.toString(limits.timeout().toMillis())));
    return List.copyOf(command);
  }

  /** Ends every idle child; ones in use end when their parse returns or at this JVM's exit. */
  @Override
  public void close() {
    closed = true;
    reaper.shutdownNow();
    Idle taken;
    while ((taken = idle.poll()) != null) {
      taken.child().end();
    }
  }
}
