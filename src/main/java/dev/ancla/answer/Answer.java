package dev.ancla.answer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An answer and the chunks it cites. Every {@code [n]} in {@code text} has the citation numbered n,
 * and citations are numbered 1..N in the order the text first refers to them.
 *
 * @param mode "extractive" (sentences quoted from the chunks) or "llm"
 * @param model the chat model that wrote it; empty for extractive answers
 */
public record Answer(String text, List<Citation> citations, String mode, Optional<String> model) {
  public static final String EXTRACTIVE = "extractive";
  public static final String LLM = "llm";

  public Answer {
    citations = List.copyOf(citations);
  }

  /** The response of /api/ask and {@code ancla ask --json}. */
  public Map<String, Object> toMap(long tookMs) {
    var m = new LinkedHashMap<String, Object>();
    m.put("answer", text);
    m.put("citations", citations.stream().map(Citation::toMap).toList());
    m.put("mode", mode);
    m.put("model", model.orElse(null));
    m.put("tookMs", tookMs);
    return m;
  }
}
