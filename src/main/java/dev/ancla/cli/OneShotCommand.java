package dev.ancla.cli;

import java.util.Optional;

/**
 * A command that a one-shot process runs without picocli when its line is plain ({@link FastPath}),
 * and through picocli otherwise (help, errors), with a model built from the same {@link #shape()}
 * ({@link PicocliModel}). Either way it sees the same {@link ParsedArgs}, the same checks and the
 * same error handling, so the user cannot tell the paths apart.
 */
public interface OneShotCommand {

  CommandShape shape();

  /**
   * What is wrong with these values that the parsers cannot see (a range, an empty question), in
   * the words of the usage error picocli prints with exit code 2; empty when they can run.
   */
  default Optional<String> usageError(ParsedArgs args) {
    return Optional.empty();
  }

  /**
   * Runs the command and returns its exit code. An exception is reported as {@link Main#failure}
   * reports it: one line, exit 2 for configuration problems and 1 otherwise.
   */
  int run(CliContext context, ParsedArgs args) throws Exception;
}
