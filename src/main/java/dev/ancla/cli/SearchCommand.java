package dev.ancla.cli;

import dev.ancla.Ancla;
import dev.ancla.query.SearchHit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = "Search the index (BM25 and vectors, fused) and print the best chunks.")
final class SearchCommand implements Callable<Integer> {
  @ParentCommand AnclaCommand parent;

  @Parameters(arity = "1..*", paramLabel = "QUERY", description = "What to look for.")
  List<String> words;

  @Option(
      names = {"-k", "--k"},
      defaultValue = "5",
      description = "How many results (1-1000, default ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--json", description = "Print the results as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CliContext context = parent.context();
    if (k < 1 || k > 1000) {
      throw new picocli.CommandLine.ParameterException(
          parent.spec.commandLine(), "--k is " + k + "; expected 1 to 1000, e.g. --k 5");
    }
    var config = context.config();
    String query = String.join(" ", words);
    try (Ancla ancla = Ancla.openReadOnly(config, context.parts().apply(config))) {
      long start = System.nanoTime();
      List<SearchHit> hits = ancla.retriever().search(query, k);
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (json) {
        var results =
            hits.stream()
                .map(
                    h -> {
                      Map<String, Object> m = new LinkedHashMap<>();
                      m.put("path", h.path());
                      m.put("source", h.source());
                      m.put("chunk", h.chunk());
                      m.put("score", h.score());
                      m.put("text", h.text());
                      m.put("heading", h.heading());
                      m.put("page", h.page());
                      return m;
                    })
                .toList();
        context
            .out()
            .println(Json.write(Map.of("query", query, "results", results, "tookMs", millis)));
      } else {
        print(context, hits, millis);
      }
      return 0;
    }
  }

  private static void print(CliContext context, List<SearchHit> hits, long millis) {
    if (hits.isEmpty()) {
      context.out().println("no results");
    }
    int n = 1;
    for (SearchHit hit : hits) {
      String where =
          hit.path() + (hit.page() > 0 ? ", page " + hit.page() : "") + " #" + hit.chunk();
      context.out().printf(Locale.ROOT, "%d. %s  (%.4f)%n", n++, where, hit.score());
      if (!hit.heading().isEmpty()) {
        context.out().println("   " + hit.heading());
      }
      context.out().println("   " + snippet(hit.text()));
    }
    context.out().printf(Locale.ROOT, "%d results in %d ms%n", hits.size(), millis);
  }

  static String snippet(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= 240 ? flat : flat.substring(0, 237) + "...";
  }
}
