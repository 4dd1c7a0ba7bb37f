package dev.ancla.answer;

import dev.ancla.config.Config.Language;
import dev.ancla.query.SearchHit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Answers without a language model: the best two to four sentences of the retrieved chunks, each
 * with its citation. A sentence scores by the question's terms it contains (analyzed like the
 * index, so stems and accents match), each term weighted by how rare it is among the candidate
 * sentences, plus a little for its chunk's rank. When no sentence covers enough of the question,
 * the answer says it is not in the documents, in the question's language.
 */
public final class ExtractiveAnswerer implements Answerer {
  static final int MAX_CHARS = 600;
  static final int MAX_SENTENCES = 4;
  static final int MAX_SENTENCE_CHARS = 350;

  /** Weighted share of the question's terms a sentence must contain to be quoted. */
  static final double MIN_COVERAGE = 0.3;

  private static final double RANK_WEIGHT = 0.1;

  private final Analyzer analyzer;
  private final Language fallback;

  /**
   * @param analyzer the index's analyzer ({@code Analyzers.forLanguage})
   * @param fallback the configured language, for questions that give no hint of theirs
   */
  public ExtractiveAnswerer(Analyzer analyzer, Language fallback) {
    this.analyzer = analyzer;
    this.fallback = fallback;
  }

  private record Sentence(int rank, String text, Set<String> terms) {}

  private record Scored(Sentence sentence, double coverage, double score) {}

  /** As {@link Answerer}'s, without a checked exception: nothing here can fail. */
  @Override
  public Answer answer(String question, List<SearchHit> context, AnswerListener listener) {
    return answer(Conversation.of(question), context, listener);
  }

  /**
   * In a conversation the question's own words pick the sentences, from the chunks found for it in
   * context; only when they cover none (a "¿y eso?") are the words of {@link
   * Conversation#followUpQuery()} used instead.
   */
  @Override
  public Answer answer(
      Conversation conversation, List<SearchHit> context, AnswerListener listener) {
    String question = conversation.question();
    List<Scored> picked = quotable(question, context);
    String followUp = conversation.followUpQuery();
    if (picked.isEmpty() && !followUp.equals(question)) {
      picked = quotable(followUp, context);
    }
    if (picked.isEmpty()) {
      String text = QuestionLanguage.notInDocuments(QuestionLanguage.of(question, fallback));
      listener.context(List.of());
      listener.token(text);
      return new Answer(text, List.of(), Answer.EXTRACTIVE, Optional.empty());
    }
    var draft = new StringBuilder();
    for (Scored s : picked) {
      if (!draft.isEmpty()) draft.append(' ');
      draft.append(s.sentence().text()).append(" [").append(s.sentence().rank() + 1).append(']');
    }
    var renumbered = CitationMap.renumber(draft.toString(), context);
    listener.context(renumbered.citations());
    listener.token(renumbered.text());
    return new Answer(
        renumbered.text(), renumbered.citations(), Answer.EXTRACTIVE, Optional.empty());
  }

  /** The sentences to quote for {@code question}, best first; none when none covers enough. */
  private List<Scored> quotable(String question, List<SearchHit> context) {
    // question words ("cuánto", "cómo") would pick sentences that merely ask or count too
    Set<String> asked = terms(String.join(" ", QuestionLanguage.contentWords(question)));
    if (asked.isEmpty()) {
      asked = terms(question);
    }
    var candidates = new ArrayList<Sentence>();
    for (int rank = 0; rank < context.size(); rank++) {
      for (String s : sentences(context.get(rank).text())) {
        candidates.add(new Sentence(rank, s, terms(s)));
      }
    }
    Map<String, Double> weights = weights(asked, candidates);
    double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    var scored = new ArrayList<Scored>();
    for (Sentence s : candidates) {
      double covered = 0;
      for (String term : asked) {
        if (s.terms().contains(term)) covered += weights.get(term);
      }
      double coverage = total == 0 ? 0 : covered / total;
      if (coverage >= MIN_COVERAGE) {
        scored.add(new Scored(s, coverage, coverage + RANK_WEIGHT / (s.rank() + 1)));
      }
    }
    scored.sort(Comparator.comparingDouble(Scored::score).reversed());
    return pick(scored);
  }

  /** Best first, without repeats (consecutive chunks overlap), within the length budget. */
  private static List<Scored> pick(List<Scored> ranked) {
    var picked = new ArrayList<Scored>();
    var seen = new ArrayList<String>();
    int chars = 0;
    for (Scored s : ranked) {
      if (picked.size() == MAX_SENTENCES) break;
      String key = s.sentence().text().toLowerCase(Locale.ROOT);
      if (seen.stream().anyMatch(k -> k.contains(key) || key.contains(k))) continue;
      if (!picked.isEmpty() && s.coverage() < picked.getFirst().coverage() / 2) break;
      int length = s.sentence().text().length();
      if (!picked.isEmpty() && chars + length > MAX_CHARS) continue;
      picked.add(s);
      seen.add(key);
      chars += length;
    }
    return picked;
  }

  /** Rare terms weigh more: a word in every sentence ("ancla") says little about which answers. */
  private static Map<String, Double> weights(Set<String> asked, List<Sentence> candidates) {
    var weights = new HashMap<String, Double>();
    int n = candidates.size();
    for (String term : asked) {
      long containing = candidates.stream().filter(s -> s.terms().contains(term)).count();
      weights.put(term, Math.log(1 + (n + 1.0) / (containing + 1.0)));
    }
    return weights;
  }

  /** The sentences of a chunk worth quoting: prose, not headings, table cells or page furniture. */
  static List<String> sentences(String text) {
    var pieces = new ArrayList<String>();
    // Lines first: headings and list items end without a full stop, and PDFs mark bullets with •.
    for (String line : text.split("\\n|•")) {
      BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
      it.setText(line);
      for (int start = it.first(), end = it.next();
          end != BreakIterator.DONE;
          start = end, end = it.next()) {
        String s = line.substring(start, end).replaceAll("\\s+", " ").strip();
        if (s.isEmpty()) continue;
        // A break with no space before it is not one: "La orden ./ancla status muestra…", "v1.2".
        if (!pieces.isEmpty() && start > 0 && !Character.isWhitespace(line.charAt(start - 1))) {
          pieces.set(pieces.size() - 1, pieces.getLast() + s);
        } else if (!pieces.isEmpty() && Character.isLowerCase(s.codePointAt(0))) {
          // nor is one before a lower-case letter: "La consulta «¿cuánto dura?» no contiene…",
          // or a line wrapped inside a sentence
          pieces.set(pieces.size() - 1, pieces.getLast() + " " + s);
        } else {
          pieces.add(s);
        }
      }
    }
    var result = new ArrayList<String>();
    for (String s : pieces) {
      s = s.replaceFirst("^[#>*\\-\\d.)\\s]+(?=\\p{L})", ""); // list and heading marks
      long letters = s.chars().filter(Character::isLetter).count();
      if (s.length() < 20 || letters < s.length() / 2 || s.split(" ").length < 4) continue;
      result.add(cut(s));
    }
    return result;
  }

  private static String cut(String s) {
    if (s.length() <= MAX_SENTENCE_CHARS) return s;
    int space = s.lastIndexOf(' ', MAX_SENTENCE_CHARS - 1);
    return s.substring(0, space > MAX_SENTENCE_CHARS / 2 ? space : MAX_SENTENCE_CHARS - 1) + "…";
  }

  private Set<String> terms(String text) {
    var terms = new LinkedHashSet<String>();
    try (TokenStream stream = analyzer.tokenStream("text", text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException("analyzing in memory cannot fail", e);
    }
    return terms;
  }

  @Override
  public String describe() {
    return "extractive";
  }
}
