package dev.ancla.cli;

import dev.ancla.Ancla;
import dev.ancla.answer.Answer;
import dev.ancla.answer.AnswerListener;
import dev.ancla.answer.Citation;
import dev.ancla.query.Filter;
import dev.ancla.query.SearchHit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "ask",
    mixinStandardHelpOptions = true,
    description = {
      "Answer a question from the index, citing the chunks used.",
      "With ANCLA_LLM_URL set a chat model writes the answer; otherwise the best sentences are quoted."
    })
final class AskCommand implements Callable<Integer> {
  @ParentCommand AnclaCommand parent;

  @Parameters(
      arity = "1..*",
      paramLabel = "QUESTION",
      description = "The question, e.g. ¿Cómo restauro una copia?")
  List<String> words;

  @Option(
      names = {"-k", "--k"},
      defaultValue = "6",
      description = "Chunks to answer from (1-20, default ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--source", description = "Only files of this source.")
  String source;

  @Option(
      names = "--path",
      description = "Only files whose path starts with this, e.g. manuales/2024/")
  String path;

  @Option(names = "--type", description = "Only files with this extension, e.g. pdf")
  String type;

  @Option(
      names = "--json",
      description =
          "Print {\"answer\", \"citations\", \"mode\", \"model\", \"tookMs\"} as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CliContext context = parent.context();
    if (k < 1 || k > 20) {
      throw new ParameterException(
          parent.spec.commandLine(), "--k is " + k + "; expected 1 to 20, e.g. --k 6");
    }
    String question = String.join(" ", words).strip();
    if (question.isEmpty()) {
      throw new ParameterException(
          parent.spec.commandLine(),
          "the question is empty; e.g. ancla ask \"¿Qué formatos admite?\"");
    }
    var filter =
        new Filter(
            Optional.ofNullable(source), Optional.ofNullable(path), Optional.ofNullable(type));
    var config = context.config();
    try (Ancla ancla = Ancla.openReadOnly(config, context.parts().apply(config))) {
      long start = System.nanoTime();
      List<SearchHit> hits = ancla.retriever().search(question, k, filter);
      Answer answer = ancla.answerer().answer(question, hits, AnswerListener.NONE);
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (json) {
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
