package dev.ancla.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The endpoint of an S3-compatible service, as the snapshot store and the document bucket read it.
 */
final class S3Endpoints {
  private S3Endpoints() {}

  /**
   * The first of {@code keys} that is set, as an http(s) URL; a bad value is a problem naming its
   * variable, and a URL with credentials in it names {@code keyVariables}, where keys belong.
   */
  static Optional<URI> first(
      List<String> keys,
      Function<String, String> text,
      String keyVariables,
      List<String> problems) {
    for (String key : keys) {
      String raw = text.apply(key);
      if (raw.isEmpty()) {
        continue;
      }
      try {
        URI uri = new URI(raw);
        if (uri.getRawUserInfo() != null) {
          problems.add(key + " must not contain credentials; set " + keyVariables + " instead");
          return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
          return Optional.of(uri);
        }
      } catch (URISyntaxException _) {
        // reported below with the raw value
      }
      problems.add(
          key
              + " is \""
              + raw
              + "\"; expected an http(s) URL, e.g. https://fra1.digitaloceanspaces.com");
      return Optional.empty();
    }
    return Optional.empty();
  }
}
