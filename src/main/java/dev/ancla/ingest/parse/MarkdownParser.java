package dev.ancla.ingest.parse;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown (CommonMark's block structure, simplified), which Tika would read as one run of plain
 * text: ATX ({@code ## Title}) and setext headings become headings; paragraphs end at blank lines;
 * every list item, table row and fenced code block is its own paragraph. Inline markup (emphasis,
 * links, images, code spans, HTML tags) is reduced to its text. YAML front matter is skipped, but
 * its {@code title:} becomes the title.
 *
 * <p>One instance per document; not thread-safe.
 */
final class MarkdownParser {
  private static final Pattern ATX =
      Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
  private static final Pattern SETEXT_1 = Pattern.compile("^ {0,3}=+[ \\t]*$");
  private static final Pattern SETEXT_2 = Pattern.compile("^ {0,3}-+[ \\t]*$");
  private static final Pattern BREAK = Pattern.compile("^ {0,3}([-*_])(?:[ \\t]*\\1){2,}[ \\t]*$");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
  private static final Pattern LIST_ITEM =
      Pattern.compile("^\\s*(?:[-*+]|\\d{1,9}[.)])[ \\t]+(.*)$");
  private static final Pattern QUOTE = Pattern.compile("^ {0,3}>[ ]?");
  private static final Pattern TABLE_RULE =
      Pattern.compile("^\\s*\\|?\\s*:?-+:?\\s*(\\|\\s*:?-+:?\\s*)+\\|?\\s*$");
  private static final Pattern FRONT_MATTER_TITLE =
      Pattern.compile("^title:\\s*[\"']?(.*?)[\"']?\\s*$");

  /** Inline markup and its replacement, applied in this order. */
  private static final Pattern[] INLINE = {
    Pattern.compile("!\\[([^\\]]*)\\]\\([^)]*\\)"), // image: alt text
    Pattern.compile("\\[([^\\]]+)\\]\\([^)]*\\)"), // link: its text
    Pattern.compile("\\[([^\\]]+)\\]\\[[^\\]]*\\]"), // reference link
    Pattern.compile("<((?:https?|mailto):[^>\\s]+)>"), // autolink
    Pattern.compile("</?[A-Za-z][^>]*>"), // HTML tag
    Pattern.compile("`+([^`]+?)`+"), // code span
    Pattern.compile("(\\*\\*|__)(.+?)\\1"), // strong
    Pattern.compile("(?<![\\w*])\\*(\\S(?:[^*]*?\\S)?)\\*(?![\\w*])"), // emphasis with *
    Pattern.compile("(?<!\\w)_(\\S(?:[^_]*?\\S)?)_(?!\\w)"), // emphasis with _
    Pattern.compile("~~(.+?)~~"), // strikethrough
    Pattern.compile("\\\\([\\\\`*_{}\\[\\]()#+\\-.!|>~])"), // backslash escape
  };

  private static final String[] REPLACEMENT = {
    "$1", "$1", "$1", "$1", "", "$1", "$2", "$1", "$1", "$1", "$1"
  };

  private final BlockCollector out;
  private final StringBuilder paragraph = new StringBuilder();
  private boolean paragraphIsListItem;
  private String fence = ""; // the opening fence while inside a code block
  private String title = "";

  private MarkdownParser(BlockCollector out) {
    this.out = out;
  }

  /** Parses into {@code out}; returns the front matter's title, or "". */
  static String parse(Reader reader, BlockCollector out) throws IOException {
    var parser = new MarkdownParser(out);
    parser.run(new LineReader(reader));
    return parser.title;
  }

  private void run(LineReader lines) throws IOException {
    String line = lines.readLine();
    if (line != null && line.strip().equals("---")) {
      line = skipFrontMatter(lines);
    }
    for (; line != null && out.accepting(); line = lines.readLine()) {
      line(line);
    }
    if (fence.isEmpty()) flush();
    else out.paragraph(paragraph); // an unclosed fence runs to the end of the document
  }

  private String skipFrontMatter(LineReader lines) throws IOException {
    for (String line; (line = lines.readLine()) != null; ) {
      String stripped = line.strip();
      if (stripped.equals("---") || stripped.equals("...")) return lines.readLine();
      Matcher title = FRONT_MATTER_TITLE.matcher(stripped);
      if (title.matches()) this.title = BlockCollector.normalize(title.group(1));
    }
    return null;
  }

  private void line(String line) {
    if (!fence.isEmpty()) {
      code(line);
      return;
    }
    Matcher quote = QUOTE.matcher(line);
    while (quote.lookingAt()) {
      line = line.substring(quote.end());
      quote = QUOTE.matcher(line);
    }
    Matcher m;
    if (line.isBlank()) {
      flush();
    } else if ((m = FENCE.matcher(line)).lookingAt()) {
      flush();
      fence = m.group(1);
    } else if ((m = ATX.matcher(line)).matches()) {
      flush();
      out.heading(m.group(1).length(), inline(m.group(2) == null ? "" : m.group(2)));
    } else if (!paragraph.isEmpty() && !paragraphIsListItem && SETEXT_1.matcher(line).matches()) {
      heading(1);
    } else if (!paragraph.isEmpty() && !paragraphIsListItem && SETEXT_2.matcher(line).matches()) {
      heading(2);
    } else if (BREAK.matcher(line).matches() || TABLE_RULE.matcher(line).matches()) {
      flush();
    } else if ((m = LIST_ITEM.matcher(line)).matches()) {
      flush();
      paragraph.append(m.group(1)).append('\n');
      paragraphIsListItem = true;
    } else if (line.strip().startsWith("|")) {
      flush();
      tableRow(line.strip());
    } else {
      paragraph.append(line).append('\n');
    }
  }

  private void code(String line) {
    String stripped = line.strip();
    boolean closes =
        stripped.length() >= fence.length() && stripped.chars().allMatch(c -> c == fence.charAt(0));
    if (closes) {
      out.paragraph(paragraph); // code keeps its words, not its markup
      paragraph.setLength(0);
      fence = "";
    } else {
      paragraph.append(line).append('\n');
    }
  }

  private void heading(int level) {
    out.heading(level, inline(paragraph.toString()));
    paragraph.setLength(0);
  }

  private void tableRow(String row) {
    String inner =
        row.substring(1, row.endsWith("|") && row.length() > 1 ? row.length() - 1 : row.length());
    var cells =
        Arrays.stream(inner.split("(?<!\\\\)\\|"))
            .map(c -> BlockCollector.normalize(inline(c)))
            .toList();
    out.paragraph(String.join(" | ", cells));
  }

  private void flush() {
    if (!paragraph.isEmpty()) out.paragraph(inline(paragraph.toString()));
    paragraph.setLength(0);
    paragraphIsListItem = false;
  }

  static String inline(String text) {
    for (int i = 0; i < INLINE.length; i++) {
      text = INLINE[i].matcher(text).replaceAll(REPLACEMENT[i]);
    }
    return text;
  }
}
