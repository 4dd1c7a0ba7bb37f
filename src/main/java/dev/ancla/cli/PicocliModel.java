package dev.ancla.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * picocli's model of a {@link OneShotCommand}, built from its {@link CommandShape}: the help text,
 * and the parsing and errors of every line that {@link FastParser} leaves to picocli, come from the
 * same declarations as the fast path.
 */
public final class PicocliModel {
  private PicocliModel() {}

  /** The command for {@code addSubcommand}; it runs with this context. */
  public static CommandSpec spec(OneShotCommand command, CliContext context) {
    CommandShape shape = command.shape();
    var runner = new Runner(command, context);
    CommandSpec spec = CommandSpec.wrapWithoutInspection(runner);
    runner.spec = spec;
    spec.name(shape.name());
    spec.mixinStandardHelpOptions(true);
    spec.usageMessage().description(shape.description().toArray(String[]::new));
    shape
        .words()
        .ifPresent(
            words ->
                spec.addPositional(
                    PositionalParamSpec.builder()
                        .paramLabel(words.label())
                        .arity("1..*")
                        .required(true)
                        .type(List.class)
                        .auxiliaryTypes(String.class)
                        .description(words.description())
                        .build()));
    for (CliOption option : shape.options()) {
      var builder =
          OptionSpec.builder(option.names().toArray(String[]::new))
              .description(option.description().toArray(String[]::new));
      switch (option.kind()) {
        case FLAG -> builder.type(boolean.class).initialValue(false);
        case INT ->
            builder
                .type(int.class)
                .paramLabel(option.paramLabel())
                .defaultValue(option.defaultValue().orElseThrow());
        case TEXT ->
            builder.type(String.class).paramLabel(option.paramLabel()).required(option.required());
      }
      spec.addOption(builder.build());
    }
    return spec;
  }

  /** The values picocli parsed, as {@link FastParser} would give them. */
  static ParsedArgs parsed(CommandShape shape, CommandSpec spec) {
    var values = new java.util.HashMap<String, Object>();
    for (CliOption option : shape.options()) {
      Object value = spec.findOption(option.longName()).getValue();
      if (value != null) {
        values.put(option.longName(), value);
      }
    }
    List<String> words =
        shape.words().isEmpty() ? List.of() : spec.positionalParameters().getFirst().getValue();
    return new ParsedArgs(shape, values, words == null ? List.of() : words);
  }

  /** What picocli calls; it needs the spec it belongs to, which exists only after it. */
  private static final class Runner implements Callable<Integer> {
    private final OneShotCommand command;
    private final CliContext context;
    private CommandSpec spec; // set once, right after the spec wraps this runner

    Runner(OneShotCommand command, CliContext context) {
      this.command = command;
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      ParsedArgs args = parsed(command.shape(), spec);
      var usage = command.usageError(args);
      if (usage.isPresent()) {
        // reported against the top command, as these checks always were
        throw new ParameterException(spec.root().commandLine(), usage.get());
      }
      return command.run(context, args);
    }
  }
}
