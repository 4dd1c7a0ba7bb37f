package dev.ancla.cli;

import dev.ancla.Ancla;
import dev.ancla.index.Reads;
import dev.ancla.query.SearchHit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code ancla search QUERY [--k N] [--source S] [--path PREFIX] [--type EXT] [--json]}. */
final class SearchCommand implements OneShotCommand {
  private static final CommandShape SHAPE = declare();

  private static CommandShape declare() {
    var options = new ArrayList<CliOption>();
    options.add(
        CliOption.integer(
            List.of("-k", "--k"), 5, "How many results (1-1000, default ${DEFAULT-VALUE})."));
    options.addAll(FilterOptions.ALL);
    options.add(CliOption.flag("--json", "Print the results as one JSON object."));
    return new CommandShape(
        List.of("search"),
        List.of(
            "Search the index (BM25 on words and 3-grams, and vectors, fused) and print the best"
                + " chunks."),
        Optional.of(new CommandShape.Words("QUERY", "What to look for.")),
        options);
  }

  @Override
  public CommandShape shape() {
    return SHAPE;
  }

  @Override
  public Optional<String> usageError(ParsedArgs args) {
    int k = args.integer("--k");
    return k < 1 || k > 1000
        ? Optional.of("--k is " + k + "; expected 1 to 1000, e.g. --k 5")
        : Optional.empty();
  }

  @Override
  public int run(CliContext context, ParsedArgs args) throws Exception {
    int k = args.integer("--k");
    var filter = FilterOptions.of(args);
    var config = context.config();
    String query = String.join(" ", args.words());
    try (Ancla ancla = Ancla.openReadOnly(config, context.parts().apply(config), Reads.ONE_SHOT)) {
      long start = System.nanoTime();
      List<SearchHit> hits = ancla.retriever().search(query, k, filter);
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (args.flag("--json")) {
        var results = hits.stream().map(SearchHit::fields).toList();
        var object = new LinkedHashMap<String, Object>();
        object.put("query", query);
        object.put("tookMs", millis);
        object.put("results", results);
        context.out().println(Json.write(object));
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
