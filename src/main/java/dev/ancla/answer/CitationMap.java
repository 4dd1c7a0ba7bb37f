package dev.ancla.answer;

import dev.ancla.query.SearchHit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns references to context chunks ({@code [3]}, {@code [1, 4]}, numbered as the context was,
 * from 1) into the answer's own numbering: 1..N in order of first reference, one citation each.
 * References to chunks that do not exist are removed, so every {@code [n]} left has a citation.
 */
final class CitationMap {
  private static final Pattern REFERENCE =
      Pattern.compile("\\s?\\[(\\d{1,3}(?:\\s*[,;]\\s*\\d{1,3})*)\\]");

  private CitationMap() {}

  record Renumbered(String text, List<Citation> citations) {}

  static Renumbered renumber(String text, List<SearchHit> context) {
    Map<Integer, Integer> numbers =
        new LinkedHashMap<>(); // context index (1-based) -> answer number
    Matcher m = REFERENCE.matcher(text);
    var out = new StringBuilder();
    while (m.find()) {
      var replacement = new StringBuilder();
      for (String part : m.group(1).split("\\s*[,;]\\s*")) {
        int index = Integer.parseInt(part);
        if (index < 1 || index > context.size()) {
          continue;
        }
        int n = numbers.computeIfAbsent(index, _ -> numbers.size() + 1);
        String ref = "[" + n + "]";
        if (replacement.indexOf(ref) < 0) {
          replacement.append(ref);
        }
      }
      String lead = !replacement.isEmpty() && m.group().startsWith(" ") ? " " : "";
      m.appendReplacement(out, Matcher.quoteReplacement(lead + replacement));
    }
    m.appendTail(out);
    var citations = new ArrayList<Citation>(numbers.size());
    numbers.forEach((index, n) -> citations.add(Citation.of(n, context.get(index - 1))));
    return new Renumbered(out.toString().strip(), citations);
  }

  /** {@code text} without its references: "Se borra así [1][2]." becomes "Se borra así." */
  static String withoutReferences(String text) {
    return REFERENCE.matcher(text).replaceAll("");
  }

  /** Every chunk of the context as a citation, numbered as in the context. */
  static List<Citation> numbered(List<SearchHit> context) {
    var citations = new ArrayList<Citation>(context.size());
    for (int i = 0; i < context.size(); i++) {
      citations.add(Citation.of(i + 1, context.get(i)));
    }
    return citations;
  }
}
