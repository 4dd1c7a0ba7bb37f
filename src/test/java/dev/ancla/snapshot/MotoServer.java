package dev.ancla.snapshot;

import dev.ancla.config.Config.S3Credentials;
import dev.ancla.config.Config.SnapshotTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Python's moto server, a second S3 implementation independent of S3Proxy, in a child process on
 * 127.0.0.1 and a port it picks itself. The child exits when this JVM does (its stdin closes).
 *
 * <p>Debian 12 packages no moto, and CI reaches no PyPI: where {@code python3} cannot import it,
 * the tests that need it are skipped with that reason, unless {@code ANCLA_TEST_REQUIRE_MOTO=true}
 * (then they fail).
 */
final class MotoServer implements AutoCloseable {
  private static final String SCRIPT =
      """
      import sys
      from moto.server import ThreadedMotoServer
      server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
      server.start()
      print(server.get_host_and_port()[1], flush=True)
      sys.stdin.read()
      server.stop()
      """;

  private final Process process;
  private final URI uri;

  private MotoServer(Process process, URI uri) {
    this.process = process;
    this.uri = uri;
  }

  /** Starts one, or skips the calling test with the reason. */
  static MotoServer startOrSkip() throws IOException, InterruptedException {
    String why = unavailable();
    if (why != null) {
      if (Boolean.parseBoolean(System.getenv("ANCLA_TEST_REQUIRE_MOTO"))) {
        throw new IllegalStateException(why);
      }
      Assumptions.abort(why);
    }
    Process process =
        new ProcessBuilder("python3", "-c", SCRIPT)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    var out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    // never wait forever for a child that hangs while starting
    var line = java.util.concurrent.CompletableFuture.supplyAsync(() -> readLine(out));
    String port;
    try {
      port = line.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("moto did not start within 60 s", e);
    }
    if (port == null || !port.strip().matches("\\d+")) {
      process.destroyForcibly();
      throw new IllegalStateException("moto did not start: it printed " + port);
    }
    return new MotoServer(process, URI.create("http://127.0.0.1:" + port.strip()));
  }

  private static String readLine(BufferedReader in) {
    try {
      return in.readLine();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Why moto cannot run here, or null when it can. */
  private static String unavailable() throws InterruptedException {
    try {
      Process check =
          new ProcessBuilder("python3", "-c", "import moto.server, flask, werkzeug")
              .redirectErrorStream(true)
              .start();
      String text = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!check.waitFor(60, TimeUnit.SECONDS)) {
        check.destroyForcibly();
        return "python3 took over 60 s to import moto";
      }
      return check.exitValue() == 0
          ? null
          : "moto is not installed for python3 (pip install 'moto[server]'; Debian 12 has no"
              + " python3-moto): "
              + text.strip().lines().reduce((a, b) -> b).orElse("");
    } catch (IOException e) {
      return "python3 cannot be run: " + e.getMessage();
    }
  }

  SnapshotTarget.S3 target(String bucket, String prefix) {
    return new SnapshotTarget.S3(
        bucket,
        prefix,
        Optional.of(uri),
        "us-east-1",
        true,
        Optional.of(
            new S3Credentials(
                "AKIAMOTOTESTKEY00001",
                "moto-Test-Secret-Value-0123456789abcdef",
                Optional.empty())));
  }

  /** A new bucket and a store on {@code prefix} in it. */
  S3BlobStore store(String bucket, String prefix) {
    try (S3Client s3 = S3BlobStore.client(target(bucket, ""), 1)) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    return new S3BlobStore(
        S3BlobStore.client(target(bucket, prefix), 3), bucket, prefix, 6L << 20, 5L << 20);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
