package dev.ancla.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Prefixes on the real bundled model; no mocks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrefixedEmbedderTest {
  private OnnxEmbedder model;

  @BeforeAll
  void load() {
    model = OnnxEmbedder.bundled();
  }

  @AfterAll
  void close() {
    model.close();
  }

  /** Not closed by the tests: it would close the shared model. */
  private Embedder e5Style() {
    return PrefixedEmbedder.wrap(model, "query: ", "passage: ");
  }

  @Test
  void passagesAndQueriesAreEmbeddedWithTheirOwnPrefix() {
    Embedder prefixed = e5Style();
    String text = "¿Cuántas instantáneas se conservan?";
    assertArrayEquals(model.embed("passage: " + text), prefixed.embed(text), 1e-6f);
    assertArrayEquals(model.embed("query: " + text), prefixed.embedQuery(text), 1e-6f);
    // the prefixes matter: without them the vectors differ
    assertNotEquals(model.embed(text)[0], prefixed.embed(text)[0]);
    assertNotEquals(prefixed.embed(text)[0], prefixed.embedQuery(text)[0]);
  }

  @Test
  void thePrefixesArePartOfTheFingerprint() {
    String plain = model.info().fingerprint();
    String e5 = e5Style().info().fingerprint();
    assertNotEquals(plain, e5);
    assertEquals(e5, e5Style().info().fingerprint(), "the same prefixes, the same fingerprint");
    assertNotEquals(e5, PrefixedEmbedder.wrap(model, "query:", "passage: ").info().fingerprint());
    // the split between the two prefixes counts, not only their concatenation
    assertNotEquals(
        PrefixedEmbedder.fingerprint(plain, "ab", "c"),
        PrefixedEmbedder.fingerprint(plain, "a", "bc"));
    assertEquals(model.info().name(), e5Style().info().name());
    assertEquals(model.info().dimension(), e5Style().info().dimension());
  }

  @Test
  void withoutPrefixesTheModelIsUsedAsItIs() {
    assertSame(model, PrefixedEmbedder.wrap(model, "", ""));
    assertArrayEquals(model.embed("hola"), model.embedQuery("hola"), 0f);
  }
}
