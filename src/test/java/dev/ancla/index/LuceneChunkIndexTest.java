package dev.ancla.index;

import dev.ancla.config.Config;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The index contract on the local Lucene index, on a real directory. */
class LuceneChunkIndexTest extends ChunkIndexContract {
  @TempDir Path dir;

  @Override
  protected Backend open() throws Exception {
    return reopen();
  }

  @Override
  protected Backend reopen() throws Exception {
    var analyzer = Analyzers.forLanguage(Config.Language.ES);
    IndexStore store = IndexStore.openForWriting(dir, analyzer);
    return new Backend(store, new LuceneChunkSearch(store, analyzer), store);
  }
}
