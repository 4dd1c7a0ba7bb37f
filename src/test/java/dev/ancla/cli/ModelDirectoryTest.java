package dev.ancla.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.config.VectorWeights;
import dev.ancla.index.CommitInfo;
import dev.ancla.query.Mode;
import dev.ancla.query.SearchRequest;
import dev.ancla.sync.ProgressTracker;
import dev.ancla.testing.TestAncla;
import dev.ancla.testing.TestModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model given as the README's recipe says (a folder with model.onnx, tokenizer.json and
 * ancla-model.properties, in ANCLA_MODEL_DIR) embeds both the index and the queries, and hybrid
 * search weighs its vectors as the folder declares.
 */
class ModelDirectoryTest {
  @TempDir Path dir;

  @Test
  void aModelFolderEmbedsTheIndexAndTheQueriesWithTheFusionWeightsItDeclares() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(docs.resolve("gato.txt"), "El gato duerme en la alfombra toda la tarde.");
    Files.writeString(docs.resolve("cat.txt"), "The cat sleeps on the rug all afternoon.");
    Path model = Files.createDirectories(dir.resolve("model"));
    TestModel.writeBundledModelTo(model);
    // a model that serves English only: no vectors at all for Spanish queries
    Files.writeString(
        model.resolve("ancla-model.properties"), "vector_weights=es=0,en=1,other=1\n");
    Config config =
        TestAncla.config(
            TestAncla.env(dir.resolve("data"), docs, "ANCLA_MODEL_DIR", model.toString()));
    assertEquals(new VectorWeights(0, 1, 1), config.model().vectorWeights());
    try (Ancla ancla = Ancla.openForWriting(config, ProductionParts.forConfig(config))) {
      assertTrue(ancla.sync().sync(new ProgressTracker(System::nanoTime)).complete());
      String indexedWith =
          ancla.store().lastCommit().map(CommitInfo::modelFingerprint).orElseThrow();
      assertNotEquals(
          TestModel.shared().info().fingerprint(), indexedWith, "the folder's model, not bundled");
      var retriever = ancla.retriever();
      assertTrue(retriever.hasVectors(), "queries are embedded with the model the index has");
      // "felino" and "feline" share no word and no 3-gram with either document: only vectors
      // find them
      String spanish = "¿un felino?";
      String english = "the feline";
      assertFalse(
          retriever.search(SearchRequest.of(spanish, 5).withMode(Mode.VECTOR)).isEmpty(),
          "the model embeds Spanish queries too");
      assertEquals(
          java.util.List.of(),
          retriever.search(spanish, 5),
          "hybrid gives Spanish queries' vectors the declared weight 0");
      assertFalse(retriever.search(english, 5).isEmpty(), "and English queries' weight 1");
    }
  }
}
