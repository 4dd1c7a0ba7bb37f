package dev.ancla.cli;

import dev.ancla.Ancla;
import dev.ancla.answer.Answer;
import dev.ancla.answer.AnswerListener;
import dev.ancla.answer.Citation;
import dev.ancla.query.SearchHit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code ancla ask QUESTION [--k N] [--source S] [--path PREFIX] [--type EXT] [--json]}. */
final class AskCommand implements OneShotCommand {
  private static final CommandShape SHAPE = declare();

  private static CommandShape declare() {
    var options = new ArrayList<CliOption>();
    options.add(
        CliOption.integer(
            List.of("-k", "--k"), 6, "Chunks to answer from (1-20, default ${DEFAULT-VALUE})."));
    options.addAll(FilterOptions.ALL);
    options.add(
        CliOption.flag(
            "--json",
            "Print {\"answer\", \"citations\", \"mode\", \"model\", \"tookMs\"} as one JSON object."));
    return new CommandShape(
        List.of("ask"),
        List.of(
            "Answer a question from the index, citing the chunks used.",
            "With ANCLA_LLM_URL set a chat model writes the answer; otherwise the best sentences are"
                + " quoted."),
        Optional.of(
            new CommandShape.Words("QUESTION", "The question, e.g. ¿Cómo restauro una copia?")),
        options);
  }

  @Override
  public CommandShape shape() {
    return SHAPE;
  }

  @Override
  public Optional<String> usageError(ParsedArgs args) {
    int k = args.integer("--k");
    if (k < 1 || k > 20) {
      return Optional.of("--k is " + k + "; expected 1 to 20, e.g. --k 6");
    }
    if (question(args).isEmpty()) {
      return Optional.of("the question is empty; e.g. ancla ask \"¿Qué formatos admite?\"");
    }
    return Optional.empty();
  }

  private static String question(ParsedArgs args) {
    return String.join(" ", args.words()).strip();
  }

  @Override
  public int run(CliContext context, ParsedArgs args) throws Exception {
    String question = question(args);
    var filter = FilterOptions.of(args);
    var config = context.config();
    try (Ancla ancla = Ancla.openReadOnly(config, context.parts().apply(config))) {
      long start = System.nanoTime();
      List<SearchHit> hits = ancla.retriever().search(question, args.integer("--k"), filter);
      Answer answer = ancla.answerer().answer(question, hits, AnswerListener.NONE);
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (args.flag("--json")) {
        context.out().println(Json.write(answer.toMap(millis)));
      } else {
        context.out().println(answer.text());
        if (!answer.citations().isEmpty()) {
          context.out().println();
          context.out().println("Sources:");
          for (Citation c : answer.citations()) {
            context
                .out()
                .println(
                    "["
                        + c.n()
                        + "] "
                        + c.where()
                        + (c.heading().isEmpty() ? "" : " — " + c.heading()));
          }
        }
      }
      return 0;
    }
  }
}
