package dev.ancla.embed;

/**
 * Loads the bundled model on this JVM's main thread and embeds one text; prints the vector's
 * length. Its arguments are ignored: {@link OnnxEmbedderTest} passes a long one.
 */
public final class LoadModelMain {
  private LoadModelMain() {}

  public static void main(String[] args) {
    try (var embedder = OnnxEmbedder.bundled()) {
      System.out.println(embedder.embed("copias de seguridad").length);
    }
  }
}
