package dev.ancla.cli;

import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.embed.Embedder;
import dev.ancla.embed.OnnxEmbedder;
import dev.ancla.embed.Pooling;
import dev.ancla.ingest.parse.ParseLimits;
import dev.ancla.ingest.parse.TikaDocumentParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Supplier;

/** The real parser and model, as the configuration asks for them. */
final class ProductionParts {
  private ProductionParts() {}

  static Ancla.Parts forConfig(Config config) {
    var limits = config.limits();
    Supplier<Embedder> embedder =
        () ->
            config
                .model()
                .directory()
                .<Embedder>map(
                    dir -> {
                      try {
                        return OnnxEmbedder.fromDirectory(
                            dir,
                            Pooling.valueOf(config.model().pooling().toUpperCase(Locale.ROOT)),
                            config.model().dimension(),
                            config.model().maxTokens());
                      } catch (IOException e) {
                        throw new UncheckedIOException("cannot load the model in " + dir, e);
                      }
                    })
                .orElseGet(OnnxEmbedder::bundled);
    return new Ancla.Parts(
        embedder,
        new TikaDocumentParser(
            new ParseLimits(limits.maxFileBytes(), limits.maxChars(), limits.timeout())),
        Clock.systemUTC());
  }
}
