package dev.ancla.query;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config.Language;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The query language that weighs the vector list in hybrid search (and picks answers' words). */
class QueryLanguageTest {
  private static Optional<Language> of(String text) {
    return QueryLanguage.detect(text);
  }

  @Test
  void questionsAreKnownByTheirMarksAndCommonWords() {
    assertEquals(Optional.of(Language.ES), of("¿Cómo restauro una copia?"));
    assertEquals(Optional.of(Language.ES), of("imágenes; recorte y zum"));
    assertEquals(Optional.of(Language.ES), of("como se configura el puerto"));
    assertEquals(Optional.of(Language.EN), of("How many snapshots are kept by default?"));
  }

  @Test
  void keywordQueriesWithoutCommonWordsAreKnownByTheShapeOfTheirWords() {
    assertEquals(Optional.of(Language.EN), of("AIX; IPC configuration"));
    assertEquals(Optional.of(Language.EN), of("replication slots; streaming"));
    assertEquals(Optional.of(Language.ES), of("calcular; diferencias horarias"));
    assertEquals(Optional.of(Language.ES), of("tablas dinamicas ocultas"));
  }

  @Test
  void aQueryWithNoSignOfEitherIsNeither() {
    assertEquals(Optional.empty(), of("ALL; GROUP BY ALL"));
    assertEquals(Optional.empty(), of("pg_dump"));
    assertEquals(Optional.empty(), of(""));
    assertEquals(Language.EN, QueryLanguage.of("pg_dump", Language.EN), "the fallback");
  }
}
