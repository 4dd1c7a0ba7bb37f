package dev.ancla.ingest.chunk;

import dev.ancla.embed.TokenCounter;
import dev.ancla.ingest.parse.Block;
import dev.ancla.ingest.parse.ParsedDocument;
import java.util.ArrayList;
import java.util.List;

/** TEMPORARY placeholder until the structure-aware chunker lands. */
public final class Chunker {
  private final TokenCounter tokens;
  private final int maxTokens;

  public Chunker(TokenCounter tokens, int maxTokens, int overlapTokens) {
    this.tokens = tokens;
    this.maxTokens = maxTokens;
  }

  public List<Chunk> chunk(ParsedDocument doc) {
    var chunks = new ArrayList<Chunk>();
    var text = new StringBuilder();
    int page = 0;
    for (Block block : doc.blocks()) {
      if (tokens.count(text + "\n" + block.text()) > maxTokens && !text.isEmpty()) {
        chunks.add(new Chunk(chunks.size(), text.toString(), "", page));
        text.setLength(0);
      }
      if (text.isEmpty()) {
        page = block.page();
      }
      text.append(text.isEmpty() ? "" : "\n").append(block.text());
    }
    if (!text.isEmpty()) {
      chunks.add(new Chunk(chunks.size(), text.toString(), "", page));
    }
    return chunks;
  }
}
