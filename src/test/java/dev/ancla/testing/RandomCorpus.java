package dev.ancla.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Markdown files of random Spanish and English words, the same for the same seed. */
public final class RandomCorpus {
  private RandomCorpus() {}

  private static final String[] WORDS = {
    "ancla",
    "índice",
    "documento",
    "barco",
    "puerto",
    "marea",
    "viento",
    "faro",
    "costa",
    "red",
    "vela",
    "mapa",
    "ruta",
    "norte",
    "sur",
    "isla",
    "playa",
    "roca",
    "ola",
    "cielo",
    "sol",
    "luna",
    "estrella",
    "nube",
    "lluvia",
    "tormenta",
    "calma",
    "noche",
    "día",
    "tiempo",
    "agua",
    "sal",
    "the",
    "harbour",
    "keeper",
    "light",
    "storm",
    "sailor",
    "rope",
    "deck",
    "cargo",
    "tide"
  };

  /**
   * Writes {@code files} files ({@code parte-N/informe-F.md}, in four folders), each a heading and
   * 2 to 5 paragraphs of 30 to 119 words; returns their paths.
   */
  public static List<Path> write(Path dir, int files, long seed) throws IOException {
    var random = new Random(seed);
    var written = new ArrayList<Path>();
    for (int f = 0; f < files; f++) {
      var text = new StringBuilder("# Informe " + f + "\n\n");
      for (int p = 0, paragraphs = 2 + random.nextInt(4); p < paragraphs; p++) {
        for (int w = 0, words = 30 + random.nextInt(90); w < words; w++) {
          text.append(WORDS[random.nextInt(WORDS.length)]).append(w % 12 == 11 ? ". " : " ");
        }
        text.append("\n\n");
      }
      Path sub = Files.createDirectories(dir.resolve("parte-" + (f % 4)));
      written.add(Files.writeString(sub.resolve("informe-" + f + ".md"), text.toString()));
    }
    return written;
  }
}
