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
  void jaccardOfWordSets() {
    assertEquals(
        0.5,
        NearDuplicates.jaccard(NearDuplicates.words("a b c"), NearDuplicates.words("b c d")),
        1e-9);
  }
}
