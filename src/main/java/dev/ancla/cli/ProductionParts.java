package dev.ancla.cli;

import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.embed.Embedder;
import dev.ancla.embed.OnnxEmbedder;
import dev.ancla.embed.OpenAiEmbedder;
import dev.ancla.embed.Pooling;
import dev.ancla.embed.PrefixedEmbedder;
import dev.ancla.ingest.parse.ForkedDocumentParser;
import dev.ancla.ingest.parse.ParseLimits;
import dev.ancla.openai.OpenAiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** The real parser and model, as the configuration asks for them. */
final class ProductionParts {
  private ProductionParts() {}

  static Ancla.Parts forConfig(Config config) {
    var limits = config.limits();
    Supplier<Embedder> local =
        () ->
            config
                .model()
                .directory()
                .<Embedder>map(
                    dir -> {
                      try {
                        var spec = config.model();
                        return PrefixedEmbedder.wrap(
                            OnnxEmbedder.fromDirectory(
                                dir,
                                Pooling.valueOf(spec.pooling().toUpperCase(Locale.ROOT)),
                                spec.dimension(),
                                spec.maxTokens()),
                            spec.queryPrefix(),
                            spec.passagePrefix());
                      } catch (IOException e) {
                        throw new UncheckedIOException("cannot load the model in " + dir, e);
                      }
                    })
                .orElseGet(OnnxEmbedder::bundled);
    Supplier<Embedder> embedder =
        () ->
            config
                .embedApi()
                .<Embedder>map(
                    api ->
                        new OpenAiEmbedder(
                            api,
                            new OpenAiClient(
                                "the embeddings API",
                                api.baseUrl(),
                                api.apiKey(),
                                "ANCLA_EMBED_API_KEY",
                                Duration.ofSeconds(60),
                                OpenAiClient.Retry.DEFAULT)))
                .orElseGet(local);
    return new Ancla.Parts(
        embedder,
        // in child processes: a stuck or crashing parse is killed there, not left in the server
        () ->
            new ForkedDocumentParser(
                new ParseLimits(limits.maxFileBytes(), limits.maxChars(), limits.timeout())),
        Clock.systemUTC(),
        // the bundled model with its own settings: its fingerprint is a constant
        config.embedApi().isEmpty() && config.model().directory().isEmpty()
            ? Optional.of(OnnxEmbedder.BUNDLED_FINGERPRINT)
            : Optional.empty());
  }
}
