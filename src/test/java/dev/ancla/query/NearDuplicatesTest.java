package dev.ancla.query;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class NearDuplicatesTest {
  @Test
  void dropsATextThatRepeatsAnEarlierOneAndKeepsDifferentOnes() {
    var duplicates = new NearDuplicates(0.9);
    String boilerplate =
        "Para acceder a esta orden, elija Formato - Párrafo y pulse en la pestaña Sangrías y"
            + " espaciado de la ventana de diálogo.";
    assertTrue(duplicates.admit(boilerplate));
    assertFalse(duplicates.admit(boilerplate.toUpperCase() + "  "), "case and spacing differ only");
    assertTrue(duplicates.admit("El faro de Finisterre guía a los barcos en la Costa da Morte."));
    // one more word on 18 distinct ones still overlaps over 90%
    assertFalse(duplicates.admit(boilerplate + " ahora"));
    // a few changed words do not
    assertTrue(
        duplicates.admit(
            boilerplate.replace("pulse en", "abra").replace("la ventana", "el cuadro")));
  }

  @Test
  void zeroAdmitsEverything() {
    var duplicates = new NearDuplicates(0);
    assertTrue(duplicates.admit("uno dos tres"));
    assertTrue(duplicates.admit("uno dos tres"));
  }

  @Test
  void wordsAreDistinctSortedAndLowerCaseWithAccentsKept() {
    assertArrayEquals(
        new String[] {"42", "año", "el", "tiene"},
        NearDuplicates.words("El año tiene... ¡42! EL Año"));
    assertArrayEquals(new String[0], NearDuplicates.words(" ¿? "));
  }

  @Test
  void textsOfVeryDifferentLengthsAreNeverDuplicates() {
    var duplicates = new NearDuplicates(0.9);
    assertTrue(duplicates.admit("uno dos tres cuatro cinco seis siete ocho nueve diez"));
    // all of its words are in the first text, but it has 3 of their 10
    assertTrue(duplicates.admit("uno dos tres"));
    assertFalse(duplicates.admit("tres dos uno"));
  }

  @Test
  void jaccardOfWordSets() {
    assertEquals(
        0.5,
        NearDuplicates.jaccard(NearDuplicates.words("a b c"), NearDuplicates.words("b c d")),
        1e-9);
    assertEquals(
        1.0 / 6,
        NearDuplicates.jaccard(NearDuplicates.words("z y x"), NearDuplicates.words("x w v u")),
        1e-9);
    assertEquals(1, NearDuplicates.jaccard(new String[0], new String[0]), 1e-9);
  }
}
