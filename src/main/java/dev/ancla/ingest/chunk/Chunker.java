package dev.ancla.ingest.chunk;

import dev.ancla.embed.TokenCounter;
import dev.ancla.embed.TokenCounter.Span;
import dev.ancla.ingest.parse.Block;
import dev.ancla.ingest.parse.ParsedDocument;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Cuts a document into chunks that follow its structure.
 *
 * <p>Contract, for every document:
 *
 * <ul>
 *   <li>no chunk has more than {@code maxTokens} tokens as the {@link TokenCounter} counts them
 *       (special tokens excluded, so keep {@code maxTokens} at least 2 below the model's limit),
 *       and no chunk is blank; ordinals run 0..n-1;
 *   <li>a heading starts a new section: the chunk before it ends there, with no overlap across the
 *       boundary, and the heading's text is the first line of the next chunk. Headings that follow
 *       each other share that chunk rather than making heading-only chunks;
 *   <li>blocks are joined with "\n" and packed while they fit. A block too large for one chunk is
 *       cut at a sentence end, else at a word boundary, else between two tokens, never so early
 *       that a piece keeps less than half of the room it had;
 *   <li>when a chunk ends because it is full, the next one starts with about its last {@code
 *       overlapTokens} tokens, from a word start (less when the next block needs the room);
 *   <li>the same document always gives the same chunks.
 * </ul>
 *
 * <p>Thread-safe: all state of one call lives in that call.
 */
public final class Chunker {
  static final int MIN_TOKENS = 16;

  private final TokenCounter tokens;
  private final int maxTokens;
  private final int overlapTokens;

  /**
   * @param maxTokens most tokens in one chunk, from ANCLA_CHUNK_TOKENS; at least 16
   * @param overlapTokens tokens repeated from a full chunk at the start of the next, from
   *     ANCLA_CHUNK_OVERLAP_TOKENS; 0 or more and less than half of maxTokens
   */
  public Chunker(TokenCounter tokens, int maxTokens, int overlapTokens) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    if (maxTokens < MIN_TOKENS) {
      throw new IllegalArgumentException(
          "ANCLA_CHUNK_TOKENS is "
              + maxTokens
              + "; expected at least "
              + MIN_TOKENS
              + " tokens, e.g. 240 for a model that takes 256");
    }
    if (overlapTokens < 0 || overlapTokens * 2 >= maxTokens) {
      throw new IllegalArgumentException(
          "ANCLA_CHUNK_OVERLAP_TOKENS is "
              + overlapTokens
              + "; expected 0 to "
              + (maxTokens - 1) / 2
              + " (less than half of ANCLA_CHUNK_TOKENS="
              + maxTokens
              + "), e.g. "
              + maxTokens / 8);
    }
    this.maxTokens = maxTokens;
    this.overlapTokens = overlapTokens;
  }

  public List<Chunk> chunk(ParsedDocument doc) {
    var run = new Run();
    for (Block block : doc.blocks()) {
      switch (block.kind()) {
        case HEADING -> run.heading(block);
        case PARAGRAPH -> run.add(block.text(), block.page(), "\n", Draft.State.CONTENT);
      }
    }
    return run.finish();
  }

  /** The chunks of one document as they are made. */
  private final class Run {
    private final List<Chunk> chunks = new ArrayList<>();
    private final Headings headings = new Headings();
    private final Draft draft = new Draft();

    void heading(Block heading) {
      switch (draft.state) {
        case CONTENT -> emit(); // a section boundary: no overlap
        case CARRY -> draft.clear();
        case HEADINGS -> { // heading after heading: keep both, unless they cannot share a chunk
          if (!fits(draft.with("\n", heading.text()))) emit();
        }
        case EMPTY -> {}
      }
      headings.enter(heading); // after emit: the chunk before keeps its own path
      add(heading.text(), heading.page(), "\n", Draft.State.HEADINGS);
    }

    /** Adds one block's text (or the rest of one), closing chunks as they fill. */
    void add(String text, int page, String separator, Draft.State kind) {
      if (fits(draft.with(separator, text))) {
        draft.append(separator, text, page, kind);
        return;
      }
      if (draft.state != Draft.State.HEADINGS && tokens.count(text) <= maxTokens) {
        // the block fits a chunk of its own: start one rather than cut the block
        if (draft.state == Draft.State.CONTENT) closeFull();
        if (draft.state == Draft.State.CARRY) shrinkCarryToFit(separator, text);
        draft.append(separator, text, page, kind);
        return;
      }
      split(text, page, separator);
    }

    /** Places a block that does not fit where it is: fills the room left, chunk after chunk. */
    private void split(String text, int page, String separator) {
      List<Span> spans = tokens.spans(text);
      int[] sentenceEnds = SentenceSplitter.boundaries(text);
      int from = 0;
      int firstToken = 0;
      String sep = separator;
      while (true) {
        int room = maxTokens - (draft.isEmpty() ? 0 : tokens.count(draft.text));
        if (spans.size() - firstToken <= room) {
          String rest = text.substring(from).strip();
          if (fits(draft.with(sep, rest))) {
            draft.append(sep, rest, page, Draft.State.CONTENT);
            return;
          }
        }
        if (room < maxTokens / 4) { // too little room to be worth a piece: close what is there
          if (draft.state == Draft.State.CONTENT) closeFull();
          else
            emit(); // headings that fill most of a chunk: the rare unavoidable heading-only chunk
          continue;
        }
        int cut = cutThatFits(text, spans, sentenceEnds, from, firstToken, room, sep);
        draft.append(sep, text.substring(from, cut).strip(), page, Draft.State.CONTENT);
        closeFull();
        sep = " "; // the rest continues the same block after the carried tail
        from = skipSpaces(text, cut);
        firstToken = firstTokenFrom(spans, from);
      }
    }

    /** A cut after from whose piece fits the draft; measured, since estimates can be off. */
    private int cutThatFits(
        String text,
        List<Span> spans,
        int[] sentenceEnds,
        int from,
        int firstToken,
        int room,
        String sep) {
      for (int budget = room; budget > 0; ) {
        int cut = cut(text, spans, sentenceEnds, from, firstToken, budget);
        int excess = tokens.count(draft.with(sep, text.substring(from, cut).strip())) - maxTokens;
        if (excess <= 0) return cut;
        budget -= excess;
      }
      throw new IllegalStateException("no piece of the text fits in " + room + " tokens");
    }

    /**
     * Where to end a piece of at most budget tokens starting at token first: the last sentence end,
     * else word boundary, else token boundary, that keeps at least half the budget.
     */
    private static int cut(
        String text, List<Span> spans, int[] sentenceEnds, int from, int first, int budget) {
      int limitToken = first + budget; // the first token that does not fit
      if (limitToken >= spans.size()) return text.length();
      int limit = spans.get(limitToken).start();
      int atLeast = spans.get(first + Math.max(1, budget / 2) - 1).end();
      int sentence = SentenceSplitter.lastBetween(sentenceEnds, atLeast, limit);
      if (sentence > from) return sentence;
      for (int c = limit; c > atLeast; c--) {
        if (Character.isWhitespace(text.charAt(c - 1))) return c;
      }
      return limit;
    }

    /** The chunk is full: emit it and start the next with its tail. */
    private void closeFull() {
      String full = draft.text;
      int lastPage = draft.lastPage;
      emit();
      if (overlapTokens > 0) {
        String tail = tail(full, overlapTokens);
        if (!tail.isEmpty()) draft.carry(tail, lastPage, full);
      }
    }

    /** The text fits alone but not after the whole carried tail: carry less of it, or none. */
    private void shrinkCarryToFit(String separator, String text) {
      String carriedFrom = draft.carriedFrom;
      int lastPage = draft.page;
      int n = overlapTokens;
      while (!fits(draft.with(separator, text))) {
        n -= Math.max(1, tokens.count(draft.with(separator, text)) - maxTokens);
        draft.clear();
        if (n <= 0) return;
        String tail = tail(carriedFrom, n);
        if (tail.isEmpty()) return;
        draft.carry(tail, lastPage, carriedFrom);
      }
    }

    /**
     * About the last n tokens of text, from the first word start among them; "" when they hold no
     * word start (half a word would start the next chunk with a fragment).
     */
    private String tail(String text, int n) {
      List<Span> spans = tokens.spans(text);
      if (spans.isEmpty()) return "";
      int start = spans.get(Math.max(0, spans.size() - n)).start();
      while (start > 0
          && start < text.length()
          && !Character.isWhitespace(text.charAt(start - 1))) {
        start++;
      }
      return text.substring(start).strip();
    }

    private void emit() {
      String text = draft.text.strip();
      if (draft.state != Draft.State.CARRY && !text.isEmpty()) {
        if (!fits(text)) { // every append was measured; this guards the contract itself
          throw new IllegalStateException("chunk of " + tokens.count(text) + " tokens made");
        }
        chunks.add(new Chunk(chunks.size(), text, headings.path(), draft.page));
      }
      draft.clear();
    }

    List<Chunk> finish() {
      emit();
      return List.copyOf(chunks);
    }

    private boolean fits(String text) {
      return tokens.count(text) <= maxTokens;
    }
  }

  private static int skipSpaces(String text, int i) {
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
    return i;
  }

  /** Index of the first token that starts at or after char. */
  private static int firstTokenFrom(List<Span> spans, int charIndex) {
    int lo = 0;
    int hi = spans.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (spans.get(mid).start() < charIndex) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The chunk being filled. */
  private static final class Draft {
    enum State {
      EMPTY,
      /** only the tail of the previous chunk: never emitted alone */
      CARRY,
      /** only heading lines so far */
      HEADINGS,
      CONTENT
    }

    State state = State.EMPTY;
    String text = "";
    int page;
    int lastPage;
    String carriedFrom = "";

    boolean isEmpty() {
      return state == State.EMPTY;
    }

    String with(String separator, String more) {
      return text.isEmpty() ? more : text + separator + more;
    }

    void append(String separator, String more, int blockPage, State kind) {
      if (state == State.EMPTY) page = blockPage;
      text = with(separator, more);
      lastPage = blockPage;
      if (state != State.CONTENT) state = kind;
    }

    void carry(String tail, int tailPage, String from) {
      state = State.CARRY;
      text = tail;
      page = tailPage;
      lastPage = tailPage;
      carriedFrom = from;
    }

    void clear() {
      state = State.EMPTY;
      text = "";
      carriedFrom = "";
    }
  }

  /** The enclosing headings, outermost first. */
  private static final class Headings {
    private final Deque<Block> stack = new ArrayDeque<>();

    void enter(Block heading) {
      while (!stack.isEmpty() && stack.peekLast().level() >= heading.level()) stack.removeLast();
      stack.addLast(heading);
    }

    String path() {
      return stack.stream().map(Block::text).collect(Collectors.joining(" > "));
    }
  }
}
