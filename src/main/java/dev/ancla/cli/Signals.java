package dev.ancla.cli;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT stop Ancla's work before the JVM's shutdown begins, then exit.
 *
 * <p>Why not a shutdown hook alone: the JVM runs every hook at once, and ONNX Runtime registers one
 * that frees its native environment. A hook that winds down a sync or a reindex therefore raced
 * that release while embedding threads were still in native code, and the JVM died with SIGSEGV
 * (exit 134) instead of committing and stopping: on a platform that sends SIGTERM at every deploy,
 * during any indexing. Handling the signal first runs {@code stop} while the model is still whole;
 * the hooks (ONNX Runtime's included) run only at the exit that follows. The caller keeps its
 * shutdown hook for other ways the JVM may end.
 */
final class Signals {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  /** Exit statuses as a shell reports a process ended by the signal: 128 + its number. */
  private static final Map<String, Integer> STATUS = Map.of("TERM", 143, "INT", 130);

  private Signals() {}

  /** On SIGTERM or SIGINT, runs {@code stop} on its own thread, then exits as the signal would. */
  static void stopThenExit(Runnable stop) {
    STATUS.forEach(
        (name, status) -> {
          try {
            sun.misc.Signal.handle(
                new sun.misc.Signal(name),
                signal ->
                    Thread.ofPlatform()
                        .name("ancla-sig" + name.toLowerCase(java.util.Locale.ROOT))
                        .start(
                            () -> {
                              try {
                                stop.run();
                              } finally {
                                System.exit(status);
                              }
                            }));
          } catch (IllegalArgumentException e) {
            // the JVM keeps this signal (-Xrs, or a debugger): the shutdown hook still stops
            log.debug("cannot handle SIG{}: {}", name, e.getMessage());
          }
        });
  }
}
