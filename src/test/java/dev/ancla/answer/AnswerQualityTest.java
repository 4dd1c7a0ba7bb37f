package dev.ancla.answer;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.Ancla;
import dev.ancla.answer.Conversation.Role;
import dev.ancla.answer.Conversation.Turn;
import dev.ancla.config.Config.Language;
import dev.ancla.index.Analyzers;
import dev.ancla.query.Filter;
import dev.ancla.query.SearchHit;
import dev.ancla.sync.ProgressTracker;
import dev.ancla.testing.TestAncla;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extractive answers over the sample documents, judged: how often the answer quotes the sentence
 * that answers the question ({@code answers/judged.jsonl}), and how often a conversation's second
 * question is answered right, borrowing the first one only when it needs it ({@code
 * answers/conversations.jsonl}). Each prints its figure and fails below a floor; docs/QUALITY.md
 * has the figures before and after. Run alone with {@code ./mvnw -q -B -o test
 * -Dtest=AnswerQualityTest}.
 */
class AnswerQualityTest {
  /** As {@code AskRoutes.DEFAULT_K}: the chunks an answer is written from. */
  static final int K = 6;

  /** Measured 48/50 (0.96) when set; docs/QUALITY.md. */
  static final double JUDGED_FLOOR = 0.90;

  /** Measured 22/24 (0.92) when set; docs/QUALITY.md. */
  static final double CONVERSATION_FLOOR = 0.9;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Ancla ancla;

  @BeforeAll
  static void indexTheSamples() throws IOException {
    // -Dancla.quality.data=DIR keeps the index between runs, while tuning
    String kept = System.getProperty("ancla.quality.data");
    Path data = kept == null ? dir.resolve("data") : Path.of(kept);
    ancla = TestAncla.open(data, Path.of("samples").toAbsolutePath());
    assertTrue(ancla.sync().sync(new ProgressTracker(System::nanoTime)).complete());
  }

  @AfterAll
  static void close() throws IOException {
    ancla.close();
  }

  record Judged(String id, String lang, String question, List<String> answers) {}

  @Test
  void extractiveAnswersQuoteTheSentenceThatAnswers() throws IOException {
    List<Judged> set = judged();
    assertTrue(set.size() >= 30, "the judged set has " + set.size() + " questions");
    int contains = 0;
    int first = 0;
    var report = new StringBuilder();
    for (Judged q : set) {
      for (String a : q.answers()) {
        assertTrue(inTheSamples(a), q.id() + ": the samples no longer say «" + a + "»");
      }
      Answer answer =
          ancla.answerer().answer(q.question(), search(q.question()), AnswerListener.NONE);
      boolean has = q.answers().stream().anyMatch(a -> normalized(answer.text()).contains(a));
      String quotedFirst = answer.text().split(" \\[\\d+\\]")[0];
      boolean isFirst = q.answers().stream().anyMatch(a -> normalized(quotedFirst).contains(a));
      contains += has ? 1 : 0;
      first += isFirst ? 1 : 0;
      report
          .append(has ? (isFirst ? "first " : "later ") : "MISS  ")
          .append(q.id())
          .append(' ')
          .append(q.question())
          .append("\n      ")
          .append(answer.text())
          .append('\n');
    }
    double figure = (double) contains / set.size();
    System.out.print(report);
    System.out.printf(
        Locale.ROOT,
        "judged answers: %d of %d contain an answering sentence (%.2f); first quoted: %d (%.2f)%n",
        contains,
        set.size(),
        figure,
        first,
        (double) first / set.size());
    for (double weight : new double[] {0, 0.25, 0.5, 1}) {
      var other = new ExtractiveAnswerer(Analyzers.forLanguage(Language.ES), Language.ES, weight);
      int n = 0;
      for (Judged q : set) {
        String text = other.answer(q.question(), search(q.question()), AnswerListener.NONE).text();
        n += q.answers().stream().anyMatch(a -> normalized(text).contains(a)) ? 1 : 0;
      }
      System.out.printf(
          Locale.ROOT, "  with heading words weighing %.2f: %d of %d%n", weight, n, set.size());
    }
    assertTrue(figure >= JUDGED_FLOOR, "below the floor " + JUDGED_FLOOR + ":\n" + report);
  }

  record Pair(
      String id,
      String lang,
      String previous,
      String question,
      boolean needsContext,
      List<String> answers) {}

  /**
   * Ways to decide whether a follow-up borrows the previous question, compared on the same pairs;
   * {@code production} is {@link Conversation#standsAlone()}, the others are what it was measured
   * against.
   */
  static Map<String, Predicate<String>> strategies() {
    var s = new LinkedHashMap<String, Predicate<String>>();
    s.put(
        "production (refers back, or <= 1 content word)", q -> !conversation("x", q).standsAlone());
    s.put("before (<= 3 content words)", q -> Conversation.contentWords(q) <= 3);
    s.put("refers back only", FollowUps::refersBack);
    s.put(
        "refers back, or <= 2 content words",
        q -> FollowUps.refersBack(q) || FollowUps.tooShort(q, 2));
    s.put("never", q -> false);
    s.put("always", q -> true);
    return s;
  }

  @Test
  void aFollowUpBorrowsThePreviousQuestionOnlyWhenItNeedsIt() throws IOException {
    List<Pair> pairs = pairs();
    for (Pair p : pairs) {
      for (String a : p.answers()) {
        assertTrue(inTheSamples(a), p.id() + ": the samples no longer say «" + a + "»");
      }
    }
    var extractive = new ExtractiveAnswerer(Analyzers.forLanguage(Language.ES), Language.ES);
    var figures = new LinkedHashMap<String, String>();
    var misses = new StringBuilder();
    int productionRight = 0;
    for (var strategy : strategies().entrySet()) {
      int right = 0;
      int decided = 0;
      for (Pair p : pairs) {
        boolean borrow = strategy.getValue().test(p.question());
        String query = borrow ? p.previous() + "\n" + p.question() : p.question();
        Answer answer = extractive.answer(p.question(), query, search(query), AnswerListener.NONE);
        boolean ok = answeredRight(p, answer);
        right += ok ? 1 : 0;
        decided += borrow == p.needsContext() ? 1 : 0;
        if (!ok && figures.isEmpty()) {
          misses
              .append(p.id())
              .append(' ')
              .append(p.question())
              .append(" → ")
              .append(answer.text())
              .append('\n');
        }
      }
      if (figures.isEmpty()) productionRight = right;
      figures.put(
          strategy.getKey(),
          String.format(
              Locale.ROOT,
              "answered right %d of %d, borrowed when needed %d of %d",
              right,
              pairs.size(),
              decided,
              pairs.size()));
    }
    figures.forEach((name, figure) -> System.out.println("follow-ups, " + name + ": " + figure));
    System.out.print(misses);
    for (Pair p : pairs) {
      Conversation c = conversation(p.previous(), p.question());
      assertEquals(
          p.needsContext(),
          !c.followUpQuery().equals(p.question()),
          p.id() + ": " + p.question() + " after " + p.previous());
    }
    assertTrue(
        (double) productionRight / pairs.size() >= CONVERSATION_FLOOR,
        "below the floor " + CONVERSATION_FLOOR + ":\n" + misses);
  }

  private static boolean answeredRight(Pair p, Answer answer) {
    if (p.answers().isEmpty()) {
      return answer.citations().isEmpty()
          && answer
              .text()
              .equals(
                  QuestionLanguage.notInDocuments(QuestionLanguage.of(p.question(), Language.ES)));
    }
    return p.answers().stream().anyMatch(a -> normalized(answer.text()).contains(a));
  }

  private static Conversation conversation(String previous, String question) {
    return new Conversation(
        List.of(new Turn(Role.USER, previous), new Turn(Role.ASSISTANT, "…")), question, "");
  }

  private static List<SearchHit> search(String query) throws IOException {
    return ancla.retriever().search(query, K, Filter.NONE);
  }

  /** Whether a chunk of the samples holds {@code sentence}, found by searching for it. */
  private static boolean inTheSamples(String sentence) throws IOException {
    return ancla.retriever().search(sentence, 20, Filter.NONE).stream()
        .anyMatch(h -> normalized(h.text()).contains(sentence));
  }

  /** Whitespace collapsed, and Markdown's code quotes dropped, as the judged sentences have it. */
  static String normalized(String text) {
    return text.replace("`", "").replaceAll("\\s+", " ");
  }

  static List<Judged> judged() throws IOException {
    var set = new ArrayList<Judged>();
    for (JsonNode n : lines("/answers/judged.jsonl")) {
      set.add(
          new Judged(
              n.path("id").asText(),
              n.path("lang").asText(),
              n.path("question").asText(),
              strings(n.path("answers"))));
    }
    return set;
  }

  static List<Pair> pairs() throws IOException {
    var set = new ArrayList<Pair>();
    for (JsonNode n : lines("/answers/conversations.jsonl")) {
      set.add(
          new Pair(
              n.path("id").asText(),
              n.path("lang").asText(),
              n.path("previous").asText(),
              n.path("question").asText(),
              n.path("needsContext").asBoolean(),
              strings(n.path("answers"))));
    }
    return set;
  }

  private static List<String> strings(JsonNode array) {
    var list = new ArrayList<String>();
    array.forEach(a -> list.add(a.asText()));
    return list;
  }

  private static List<JsonNode> lines(String resource) throws IOException {
    try (InputStream in = AnswerQualityTest.class.getResourceAsStream(resource)) {
      assertNotNull(in, resource);
      var nodes = new ArrayList<JsonNode>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) nodes.add(JSON.readTree(line));
      }
      return nodes;
    }
  }
}
