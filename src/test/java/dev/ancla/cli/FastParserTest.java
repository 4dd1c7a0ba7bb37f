package dev.ancla.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The fast path's parser against picocli's, on the same declarations: every line the fast parser
 * accepts must mean the same to picocli, and every plain line must be accepted (else the fast path
 * would be dead and nobody would notice).
 */
class FastParserTest {
  private static final List<OneShotCommand> COMMANDS = FastPath.standard().commands();

  /** Tokens that picocli reads in its own way, or rejects; the fast parser must leave them. */
  private static final List<String> ODD =
      List.of(
          "--",
          "-h",
          "--help",
          "-V",
          "--version",
          "-hV",
          "@nowhere",
          "-k5",
          "--k",
          "--json=true",
          "--K",
          "-",
          "--bogus",
          "--k=",
          "--k=+3",
          "05",
          "0x3",
          "2147483648",
          "-1",
          "--source=",
          "--jso",
          "-x");

  private static final CliContext NOWHERE =
      new CliContext(
          Map.of(),
          new PrintWriter(Writer.nullWriter()),
          new PrintWriter(Writer.nullWriter()),
          false,
          config -> {
            throw new AssertionError("nothing runs here");
          });

  /** What picocli makes of the line: its values, or empty for an error or a help request. */
  private static Optional<ParsedArgs> picocli(OneShotCommand command, List<String> line) {
    CommandSpec spec = PicocliModel.spec(command, NOWHERE);
    var commandLine = new CommandLine(spec);
    try {
      commandLine.parseArgs(line.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      return Optional.empty();
    }
    if (commandLine.isUsageHelpRequested() || commandLine.isVersionHelpRequested()) {
      return Optional.empty();
    }
    return Optional.of(PicocliModel.parsed(command.shape(), spec));
  }

  @Test
  void everyLineTheFastParserTakesMeansTheSameToPicocliAndEveryPlainLineIsTaken() {
    var random = new Random(20261125);
    for (OneShotCommand command : COMMANDS) {
      int taken = 0;
      for (int i = 0; i < 400; i++) {
        boolean odd = i % 3 == 0;
        List<String> line = line(command.shape(), random, odd);
        Optional<ParsedArgs> fast = FastParser.parse(command.shape(), line);
        Optional<ParsedArgs> slow = picocli(command, line);
        if (fast.isPresent()) {
          taken++;
          assertEquals(slow, fast, command.shape().path() + " " + line);
        } else if (!odd) {
          assertTrue(slow.isEmpty(), "a plain line left to picocli: " + line);
        }
      }
      assertTrue(taken > 100, command.shape().path() + ": only " + taken + " lines taken");
    }
  }

  /**
   * A random command line: some of the options in a random order with plain values, words where the
   * command takes them, and with {@code odd} one token from {@link #ODD} somewhere.
   */
  private static List<String> line(CommandShape shape, Random random, boolean odd) {
    var line = new ArrayList<String>();
    for (CliOption option : shape.options()) {
      if (!option.required() && random.nextInt(3) == 0) {
        continue;
      }
      String name = option.names().get(random.nextInt(option.names().size()));
      String value =
          switch (option.kind()) {
            case FLAG -> null;
            case INT -> String.valueOf(random.nextInt(25));
            case TEXT ->
                List.of("pdf", "manuales/2024 x/", "a=b", "¿dónde?").get(random.nextInt(4));
          };
      int at = random.nextInt(line.size() + 1);
      if (value == null) {
        line.add(at, name);
      } else if (random.nextBoolean()) {
        line.add(at, name + "=" + value);
      } else {
        line.addAll(at, List.of(name, value));
      }
    }
    if (shape.words().isPresent()) {
      int words = random.nextInt(4);
      for (int w = 0; w < words; w++) {
        String word = List.of("hola", "¿qué formatos?", "a=b", "", "k").get(random.nextInt(5));
        line.add(insertionPoint(line, random), word);
      }
    }
    if (odd && random.nextBoolean() && !shape.options().isEmpty()) { // an option given twice
      CliOption option = shape.options().get(random.nextInt(shape.options().size()));
      line.add(
          insertionPoint(line, random),
          option.kind() == CliOption.Kind.FLAG ? option.longName() : option.longName() + "=1");
    } else if (odd) {
      line.add(insertionPoint(line, random), ODD.get(random.nextInt(ODD.size())));
    }
    return line;
  }

  /** A position that does not separate an option from its value. */
  private static int insertionPoint(List<String> line, Random random) {
    while (true) {
      int at = random.nextInt(line.size() + 1);
      boolean splitsPair =
          at > 0
              && line.get(at - 1).startsWith("-")
              && !line.get(at - 1).contains("=")
              && !line.get(at - 1).equals("--json");
      if (!splitsPair) {
        return at;
      }
    }
  }

  @Test
  void oddLinesGoToPicocli() {
    CommandShape search = shape("search");
    for (List<String> line :
        List.of(
            List.of("--help"),
            List.of("-h", "hola"),
            List.of("-V"),
            List.of("hola", "--json", "--json"),
            List.of("--k", "2", "--k", "3", "hola"),
            List.of("--k", "0x3", "hola"),
            List.of("--k=", "hola"),
            List.of("--k", "-3", "hola"),
            List.of("--k"),
            List.of("-k2", "hola"),
            List.of("--bogus", "hola"),
            List.of("--", "--json"),
            List.of("@args.txt"),
            List.of("--json"),
            List.of("--source", "", "hola"),
            List.<String>of())) {
      assertEquals(Optional.empty(), FastParser.parse(search, line), line.toString());
    }
    assertEquals(
        Optional.empty(),
        FastParser.parse(shape("status"), List.of("extra")),
        "status takes no words");
    assertEquals(
        Optional.empty(),
        FastParser.parse(shape("first-query"), List.of("--q", "1")),
        "--data is required");
  }

  @Test
  void plainLinesGetTheirValuesAndTheDefaults() {
    ParsedArgs args =
        FastParser.parse(
                shape("search"),
                List.of("--type", "pdf", "copias", "-k", "3", "de", "--json", "--path=a/b/"))
            .orElseThrow();
    assertEquals(List.of("copias", "de"), args.words());
    assertEquals(3, args.integer("--k"));
    assertTrue(args.flag("--json"));
    assertEquals(Optional.of("pdf"), args.text("--type"));
    assertEquals(Optional.of("a/b/"), args.text("--path"));
    assertEquals(Optional.empty(), args.text("--source"));

    ParsedArgs defaults = FastParser.parse(shape("ask"), List.of("¿qué?")).orElseThrow();
    assertEquals(6, defaults.integer("--k"));
    assertFalse(defaults.flag("--json"));
    assertThrows(IllegalArgumentException.class, () -> defaults.integer("--q"));
  }

  /** Both parsers see the same options: picocli's model is built from the fast path's table. */
  @Test
  void picocliDeclaresExactlyTheOptionsTheFastPathHandles() {
    for (OneShotCommand command : COMMANDS) {
      CommandSpec spec = PicocliModel.spec(command, NOWHERE);
      Set<String> picocli = new TreeSet<>();
      spec.options().forEach(o -> picocli.addAll(List.of(o.names())));
      picocli.removeAll(List.of("-h", "--help", "-V", "--version")); // picocli's, never fast
      Set<String> fast = new TreeSet<>();
      command.shape().options().forEach(o -> fast.addAll(o.names()));
      assertEquals(fast, picocli, command.shape().path().toString());
      for (CliOption option : command.shape().options()) {
        var line = new ArrayList<String>();
        command.shape().options().stream()
            .filter(o -> o.required() && o != option)
            .forEach(o -> line.addAll(List.of(o.longName(), "x")));
        line.add(option.names().getFirst());
        if (option.kind() != CliOption.Kind.FLAG) {
          line.add(option.kind() == CliOption.Kind.INT ? "7" : "v");
        }
        command.shape().words().ifPresent(w -> line.add("word"));
        ParsedArgs parsed =
            FastParser.parse(command.shape(), line).orElseThrow(() -> new AssertionError(line));
        Object expected =
            switch (option.kind()) {
              case FLAG -> true;
              case INT -> 7;
              case TEXT -> "v";
            };
        assertEquals(expected, parsed.values().get(option.longName()), line.toString());
      }
      assertEquals(
          command.shape().words().isPresent(),
          !spec.positionalParameters().isEmpty(),
          command.shape().path().toString());
    }
  }

  @Test
  void searchAndAskShareTheFilterOptions() {
    for (String name : List.of("search", "ask")) {
      assertTrue(shape(name).options().containsAll(FilterOptions.ALL), name);
    }
  }

  private static CommandShape shape(String name) {
    return COMMANDS.stream()
        .map(OneShotCommand::shape)
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
