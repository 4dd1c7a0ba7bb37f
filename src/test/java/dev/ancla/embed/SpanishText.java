package dev.ancla.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Realistic Spanish prose for tests: Spanish costs about two MiniLM tokens a word. */
public final class SpanishText {
  private SpanishText() {}

  public static final List<String> SENTENCES =
      List.of(
          "El servidor guarda una copia del índice en el almacenamiento de objetos cada noche.",
          "Si el disco falla, el administrador puede restaurar la última instantánea en pocos"
              + " minutos.",
          "Las vacaciones de verano se solicitan con al menos treinta días de antelación.",
          "La política de gastos cubre el transporte, el alojamiento y las comidas durante los"
              + " viajes de trabajo.",
          "¿Qué ocurre cuando un empleado cambia de departamento a mitad del año fiscal?",
          "El responsable de recursos humanos revisa cada solicitud y responde en un plazo de cinco"
              + " días hábiles.",
          "Los documentos cifrados no se indexan: hay que guardarlos sin contraseña para que"
              + " aparezcan en las búsquedas.",
          "La búsqueda combina palabras clave con vectores semánticos para encontrar pasajes"
              + " relevantes.",
          "Cada fragmento conserva la página y el título de la sección de la que procede.",
          "El equipo de soporte atiende incidencias de lunes a viernes, de nueve de la mañana a"
              + " seis de la tarde.",
          "¡Atención! Las contraseñas caducan cada noventa días y no pueden repetirse.",
          "Según el manual, la instalación requiere Java veinticinco y dos gigabytes de memoria"
              + " libre.");

  /** About {@code words} words of Spanish sentences, chosen by seed. */
  public static String words(int words, long seed) {
    var random = new Random(seed);
    var text = new StringBuilder();
    int count = 0;
    while (count < words) {
      String sentence = SENTENCES.get(random.nextInt(SENTENCES.size()));
      if (!text.isEmpty()) text.append(' ');
      text.append(sentence);
      count += sentence.split(" ").length;
    }
    return text.toString();
  }

  /** Paragraphs of about wordsEach words. */
  public static List<String> paragraphs(int n, int wordsEach, long seed) {
    var result = new ArrayList<String>();
    for (int i = 0; i < n; i++) result.add(words(wordsEach, seed * 1000 + i));
    return result;
  }
}
