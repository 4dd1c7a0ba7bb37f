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
import java.util.regex.Pattern;
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

  /** What a question's term found only in a sentence's heading counts for. */
  static final double HEADING_WEIGHT = 0.75;

  private final double headingWeight;

  private final Analyzer analyzer;
  private final Language fallback;

  /**
   * @param analyzer the index's analyzer ({@code Analyzers.forLanguage})
   * @param fallback the configured language, for questions that give no hint of theirs
   */
  public ExtractiveAnswerer(Analyzer analyzer, Language fallback) {
    this(analyzer, fallback, HEADING_WEIGHT);
  }

  /** With another weight for heading words, to measure it against the default. */
  ExtractiveAnswerer(Analyzer analyzer, Language fallback, double headingWeight) {
    this.analyzer = analyzer;
    this.fallback = fallback;
    this.headingWeight = headingWeight;
  }

  private record Sentence(int rank, String text, Set<String> terms, Set<String> headingTerms) {}

  /** 1 when the sentence has {@code term}, the heading weight when only its heading has it. */
  private double has(Sentence s, String term) {
    return matches(s.terms(), term) ? 1 : matches(s.headingTerms(), term) ? headingWeight : 0;
  }

  private record Scored(Sentence sentence, double coverage, double score) {}

  /** As {@link Answerer}'s, without a checked exception: nothing here can fail. */
  @Override
  public Answer answer(String question, List<SearchHit> context, AnswerListener listener) {
    return answer(Conversation.of(question), context, listener);
  }

  /**
   * In a conversation the question's own words pick the sentences, from the chunks found for it in
   * context; only when they cover none (a "¿y eso?") are the words of {@link
   * Conversation#followUpQuery()} used instead, and so never for a question that {@linkplain
   * Conversation#standsAlone() stands alone}: a new topic is not answered with the previous one's.
   */
  @Override
  public Answer answer(
      Conversation conversation, List<SearchHit> context, AnswerListener listener) {
    return answer(conversation.question(), conversation.followUpQuery(), context, listener);
  }

  /** {@link #answer(Conversation, List, AnswerListener)} with the follow-up's search text given. */
  Answer answer(
      String question, String followUp, List<SearchHit> context, AnswerListener listener) {
    List<Scored> picked = quotable(question, context);
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
    var headingTerms = new HashMap<String, Set<String>>();
    for (int rank = 0; rank < context.size(); rank++) {
      SearchHit hit = context.get(rank);
      for (Passage p : passages(hit.text(), hit.heading())) {
        Set<String> heading = headingTerms.computeIfAbsent(p.heading(), this::terms);
        // words in quotes are mentioned, not used: «Copias de seguridad > Restauración» is an
        // example
        String used = QUOTED.matcher(p.text()).replaceAll(" ");
        candidates.add(new Sentence(rank, p.text(), terms(used), heading));
      }
    }
    Map<String, Double> weights = weights(asked, candidates);
    double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    var scored = new ArrayList<Scored>();
    for (Sentence s : candidates) {
      double covered = 0;
      for (String term : asked) {
        covered += weights.get(term) * has(s, term);
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

  /**
   * Whether {@code terms} has {@code term}, or a word that shares most of its beginning: the
   * analyzer stems Spanish, so "telemetry" and "telemetría", "renaming" and "rename" differ.
   */
  static boolean matches(Set<String> terms, String term) {
    if (terms.contains(term)) return true;
    if (term.length() < MIN_COGNATE) return false;
    for (String t : terms) {
      if (t.length() >= MIN_COGNATE && sharedStart(t, term) >= cognateStart(t, term)) return true;
    }
    return false;
  }

  /** The shortest words, and the shortest shared beginning, that {@link #matches} accepts. */
  private static final int MIN_COGNATE = 5;

  private static int cognateStart(String a, String b) {
    return Math.max(MIN_COGNATE, (int) Math.ceil(0.75 * Math.min(a.length(), b.length())));
  }

  private static int sharedStart(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) i++;
    return i;
  }

  /** Rare terms weigh more: a word in every sentence ("ancla") says little about which answers. */
  private static Map<String, Double> weights(Set<String> asked, List<Sentence> candidates) {
    var weights = new HashMap<String, Double>();
    int n = candidates.size();
    for (String term : asked) {
      long containing = candidates.stream().filter(s -> matches(s.terms(), term)).count();
      weights.put(term, Math.log(1 + (n + 1.0) / (containing + 1.0)));
    }
    return weights;
  }

  /** The sentences of a chunk worth quoting, as {@link #passages} finds them. */
  static List<String> sentences(String text) {
    return passages(text, "").stream().map(Passage::text).toList();
  }

  /**
   * A sentence worth quoting and the heading it sits under (the document's title, when the index
   * knows it, and the nearest heading; "" for none), whose words count toward the question at
   * {@link #HEADING_WEIGHT}: a section headed "Retención" answers "¿cuántas se conservan?" without
   * repeating the word.
   */
  record Passage(String text, String heading) {}

  /**
   * The sentences of a chunk worth quoting: prose, not headings, questions, commands, table
   * furniture or page furniture. A line that is a heading (short, without a full stop), or a
   * question on its own (a FAQ's), is not quoted but heads the sentences after it; so is a heading
   * that a PDF glued to its paragraph ("Retención La variable…"). Fenced code and lines that are
   * shell commands or assignments are skipped. A short piece ("No.", "Default: 7.") stays with the
   * sentence next to it in its line, so that a list item or a definition is quoted whole.
   *
   * @param headingPath the chunk's enclosing headings, joined by " > ", as the index stores them
   */
  static List<Passage> passages(String text, String headingPath) {
    int first = headingPath.indexOf(" > ");
    String title = first < 0 ? "" : headingPath.substring(0, first) + " > ";
    String heading =
        title + headingPath.substring(headingPath.lastIndexOf(" > ") + (first < 0 ? 1 : 3));
    var result = new ArrayList<Passage>();
    boolean fenced = false;
    // Lines first: headings and list items end without a full stop, and PDFs mark bullets with •.
    for (String line : lines(text)) {
      if (FENCE.matcher(line).lookingAt()) {
        fenced = !fenced;
        continue;
      }
      if (fenced || line.isEmpty() || COMMAND.matcher(line).lookingAt()) {
        continue;
      }
      line = line.replaceFirst("^[#>*\\-\\d.)\\s]+(?=[\\p{L}¿¡\"«])", ""); // list and heading marks
      if (isHeading(line)) {
        heading = title + line;
        continue;
      }
      var glued = GLUED_HEADING.matcher(line);
      if (glued.lookingAt()) {
        heading = title + glued.group(1);
        line = line.substring(glued.end(1)).strip();
      }
      for (String s : join(splitLine(line))) {
        long letters = s.chars().filter(Character::isLetter).count();
        if (s.length() < 20 || letters < s.length() / 2 || words(s) < 4 || isQuestion(s)) continue;
        result.add(new Passage(cut(s), heading));
      }
    }
    return result;
  }

  /**
   * The lines of a chunk, whitespace collapsed, with a line that starts in lower case joined to the
   * one before when that one ended no sentence: a line wrapped inside a sentence. After a full
   * stop, a lower-case line is a list item of its own ("encrypted: remove the password…").
   */
  private static List<String> lines(String text) {
    var lines = new ArrayList<String>();
    for (String raw : text.split("\n|•")) {
      String line = raw.replaceAll("\\s+", " ").strip();
      if (line.isEmpty()) continue;
      if (!lines.isEmpty()
          && Character.isLowerCase(line.codePointAt(0))
          && !ENDED.matcher(lines.getLast()).find()
          && !FENCE.matcher(lines.getLast()).lookingAt()) {
        lines.set(lines.size() - 1, lines.getLast() + " " + line);
      } else {
        lines.add(line);
      }
    }
    return lines;
  }

  /** The end of a sentence, closing quotes and brackets aside. */
  private static final Pattern ENDED = Pattern.compile("[.!?:;…][\"'»”)\\]]*$");

  /**
   * The sentences of one line, as a sentence break iterator finds them, with its mistakes undone.
   */
  private static List<String> splitLine(String line) {
    var pieces = new ArrayList<String>();
    BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
    it.setText(line);
    for (int start = it.first(), end = it.next();
        end != BreakIterator.DONE;
        start = end, end = it.next()) {
      String s = line.substring(start, end).strip();
      if (s.isEmpty()) continue;
      if (!pieces.isEmpty()
          && (!Character.isWhitespace(line.charAt(start - 1))
              || Character.isLowerCase(s.codePointAt(0)))) {
        // A break with no space before it is not one ("La orden ./ancla status muestra…",
        // "v1.2"), nor one before a lower-case letter ("La consulta «¿cuánto dura?» no contiene…").
        String sep = Character.isWhitespace(line.charAt(start - 1)) ? " " : "";
        pieces.set(pieces.size() - 1, pieces.getLast() + sep + s);
      } else {
        pieces.add(s);
      }
    }
    return pieces;
  }

  /**
   * Pieces of fewer than {@value #MIN_WORDS} words joined to their neighbour in the line: the next
   * one when it starts the line ("No. Los embeddings se calculan en la CPU…"), else the one before
   * ("…se borran del bucket. Default: 7. Minimum: 2.").
   */
  private static List<String> join(List<String> pieces) {
    var joined = new ArrayList<String>();
    String pending = "";
    for (String piece : pieces) {
      String s = pending.isEmpty() ? piece : pending + " " + piece;
      pending = "";
      if (words(s) >= MIN_WORDS) {
        joined.add(s);
      } else if (!joined.isEmpty()) {
        joined.set(joined.size() - 1, joined.getLast() + " " + s);
      } else {
        pending = s;
      }
    }
    if (!pending.isEmpty()) joined.add(pending);
    return joined;
  }

  private static final int MIN_WORDS = 5;

  private static final Pattern QUOTED = Pattern.compile("«[^»]*»|“[^”]*”|\"[^\"]*\"");

  /** A fence of Markdown code, which the Markdown parser keeps as a line of its own. */
  private static final Pattern FENCE = Pattern.compile("```|~~~");

  /** A line that is a command or an assignment, not a sentence: "./ancla sync", "$ export X=1". */
  private static final Pattern COMMAND =
      Pattern.compile(
          "(\\$ |\\./|~/|/usr/|sudo |curl |wget |docker |doctl |java |mvn |npm |git |export |cd )"
              + "|[A-Za-z_][A-Za-z0-9_]*=\\S*$");

  /**
   * A heading that a PDF's text runs into its paragraph: up to nine words without punctuation, then
   * a word that starts sentences ("Retención La variable…", "Requirements Ancla 0.1 requires…").
   */
  private static final Pattern GLUED_HEADING =
      Pattern.compile(
          "(?!(?:%1$s)\\b)(\\p{Lu}[\\p{L}\\p{N}]*(?: [\\p{L}\\p{N}]+){0,8}?) (?=(?:%1$s)\\b [\\p{L}\\p{N}])"
              .formatted(
                  "La|El|Los|Las|Un|Una|Cada|Si|Al|Para|Con|En|Tras|Antes|Después|Muchas|Sin|Este"
                      + "|Esta|Ancla|The|A|An|This|Each|If|It|There|Only|Every|When|After|Before|In"
                      + "|For|Many"));

  /** A line that heads what follows: short, not a table row, no full stop or other end mark. */
  static boolean isHeading(String line) {
    if (line.contains(" | ") || words(line) > 12 || line.isEmpty()) return false;
    if (isQuestion(line)) return true;
    String end = line.replaceAll("[\"'»”)*_\\]]+$", "");
    return !end.isEmpty()
        && ".:;,!…".indexOf(end.charAt(end.length() - 1)) < 0
        && !Character.isLowerCase(line.codePointAt(0));
  }

  /** A question is never an answer: a FAQ's questions head their answers. */
  private static boolean isQuestion(String s) {
    return s.startsWith("¿") || s.endsWith("?") || s.endsWith("?»") || s.endsWith("?\"");
  }

  private static int words(String s) {
    return s.isBlank() ? 0 : s.strip().split("\\s+").length;
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
