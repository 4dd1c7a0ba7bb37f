package dev.ancla;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script as users and the container image run it, after `package`: it finds a JDK,
 * fails clearly without one, and runs the packaged application from the image's layout (no sources,
 * no Maven).
 */
class LauncherIT {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private Run run(Path launcher, Map<String, String> env, String... args) throws Exception {
    var command = new java.util.ArrayList<>(List.of("bash", launcher.toString()));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("ANCLA_"));
    builder.environment().putAll(env);
    builder.redirectOutput(dir.resolve("out.txt").toFile());
    builder.redirectError(dir.resolve("err.txt").toFile());
    Process p = builder.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher timed out");
    return new Run(
        p.exitValue(),
        Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  /** The container image's layout: the launcher, its scripts and the packaged jars. */
  private Path imageLayout() throws IOException {
    Path app = Files.createDirectories(dir.resolve("app"));
    Files.copy(Path.of("ancla"), app.resolve("ancla"));
    copyTree(Path.of("scripts"), app.resolve("scripts"));
    Files.createDirectories(app.resolve("target"));
    Files.copy(Path.of("target/ancla.jar"), app.resolve("target/ancla.jar"));
    Files.copy(Path.of("target/ancla-oneshot.jar"), app.resolve("target/ancla-oneshot.jar"));
    Files.copy(
        Path.of("target/oneshot-classpath.txt"), app.resolve("target/oneshot-classpath.txt"));
    copyTree(Path.of("target/lib"), app.resolve("target/lib"));
    copyTree(Path.of("target/natives"), app.resolve("target/natives"));
    return app;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  @Test
  void runsThePackagedApplicationWithoutSourcesOrMaven() throws Exception {
    Path app = imageLayout();
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(docs.resolve("nota.txt"), "Ancla guarda el índice en Lucene.");
    var env =
        Map.of(
            "ANCLA_AOT", "off",
            "ANCLA_DATA_DIR", dir.resolve("data").toString(),
            "ANCLA_SOURCES", docs.toString());
    Run version = run(app.resolve("ancla"), env, "--version");
    assertEquals(0, version.exit(), version.err());
    assertTrue(version.out().startsWith("ancla "), version.out());
    assertFalse(
        version.err().contains("building"), "no build from the image layout: " + version.err());

    Run status = run(app.resolve("ancla"), env, "status", "--json");
    assertEquals(0, status.exit(), status.err());
    assertTrue(status.out().contains("\"documents\":0"), status.out());
  }

  /**
   * search, ask and status as the launcher runs them: on the one-shot class path (no parser or
   * server jars), parsed without picocli, with picocli's help and errors when a line needs them.
   */
  @Test
  void oneShotCommandsRunOnTheirClassPathWithoutPicocli() throws Exception {
    Path app = imageLayout();
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(docs.resolve("nota.txt"), "Ancla guarda el índice en Lucene.");
    Files.writeString(docs.resolve("guia.md"), "# Guía\n\nEl índice de Ancla se copia a S3.");
    var env =
        new java.util.HashMap<>(
            Map.of(
                "ANCLA_AOT", "off",
                "ANCLA_DATA_DIR", dir.resolve("data").toString(),
                "ANCLA_SOURCES", docs.toString()));
    Run init = run(app.resolve("ancla"), env, "init");
    assertEquals(0, init.exit(), init.err());
    // a long run (with jdk.incubator.vector) prints Ancla's log lines and no JVM or Lucene noise
    assertTrue(init.err().contains("INFO  "), init.err());
    assertFalse(init.err().contains("Using incubator modules"), init.err());
    assertFalse(init.err().contains("vectorization"), init.err());
    assertFalse(init.err().contains("Java vector incubator API"), init.err());

    Path classes = dir.resolve("classes.log");
    var logged = new java.util.HashMap<>(env);
    logged.put("ANCLA_JAVA_OPTS", "-Xlog:class+load:file=" + classes);
    Run search =
        run(app.resolve("ancla"), logged, "search", "--json", "--type", "txt", "índice Lucene");
    assertEquals(0, search.exit(), search.err());
    assertTrue(search.out().contains("\"path\":\"nota.txt\""), search.out());
    assertFalse(search.out().contains("guia.md"), "--type txt: " + search.out());
    String loaded = Files.readString(classes);
    assertTrue(loaded.contains("dev.ancla.cli.FastPath "), "the fast path ran");
    assertTrue(loaded.contains("target/ancla-oneshot.jar"), "the one-shot class path");
    assertFalse(loaded.contains("target/ancla.jar"), "not the full class path");
    assertFalse(loaded.contains(" picocli."), "picocli is not loaded");
    assertFalse(loaded.contains("PosixNativeAccess"), "no memory-mapping set-up for one query");

    Run ask =
        run(app.resolve("ancla"), env, "ask", "--json", "¿Dónde", "se", "copia", "el índice?");
    assertEquals(0, ask.exit(), ask.err());
    assertTrue(ask.out().contains("\"citations\":[{"), ask.out());
    Run status = run(app.resolve("ancla"), env, "status", "--json");
    assertEquals(0, status.exit(), status.err());
    assertTrue(status.out().contains("\"documents\":2"), status.out());

    Run bad = run(app.resolve("ancla"), env, "search", "--k", "0", "índice");
    assertEquals(2, bad.exit(), bad.err());
    assertTrue(bad.err().contains("--k is 0; expected 1 to 1000"), bad.err());
    Run help = run(app.resolve("ancla"), env, "search", "--help");
    assertEquals(0, help.exit(), help.err());
    assertTrue(help.out().contains("--type=<type>"), help.out());
  }

  /**
   * A first start must not wait for the start-up cache (a fresh clone's first serve once waited 55
   * s for it): the command runs without one while a detached, niced process prepares it, and a
   * later start finds it.
   */
  @Test
  void theFirstStartRunsAtOnceWhileTheCacheIsPreparedInTheBackground() throws Exception {
    Path app = imageLayout();
    Path stamp = app.resolve("target/aot/oneshot.current");
    var env = Map.of("ANCLA_DATA_DIR", dir.resolve("data").toString());
    Run version = run(app.resolve("ancla"), env, "--version");
    assertEquals(0, version.exit(), version.err());
    assertTrue(version.out().startsWith("ancla "), version.out());
    assertTrue(version.err().contains("in the background"), version.err());
    assertFalse(Files.exists(stamp), "the command did not wait for the cache");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (!Files.exists(stamp) && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    assertTrue(
        Files.exists(stamp),
        "the cache was prepared: "
            + Files.readString(app.resolve("target/aot/oneshot-training.log")));
    Path cache = Path.of(Files.readString(stamp).strip());
    assertTrue(Files.size(cache) > 0, cache.toString());
    Run again = run(app.resolve("ancla"), env, "--version");
    assertEquals(0, again.exit(), again.err());
    assertFalse(again.err().contains("start-up cache"), again.err());
  }

  /**
   * ./test installs what the page tests need (Chromium) when it is missing, and says how where it
   * cannot: here a machine without apt-get. With a browser in place it installs nothing.
   */
  @Test
  void theTestCommandInstallsChromiumOrSaysHow() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin")); // a PATH with bash and id, no apt-get
    for (String tool : List.of("bash", "id")) {
      Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool));
    }
    String call = ". scripts/test-deps.sh && ancla_test_deps";
    var missing =
        new ProcessBuilder("/usr/bin/bash", "-c", call)
            .redirectErrorStream(true)
            .directory(Path.of("").toAbsolutePath().toFile());
    missing.environment().put("PATH", bin.toString());
    missing.environment().put("ANCLA_CHROMIUM", dir.resolve("no-chromium").toString());
    Process p = missing.start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(1, p.exitValue(), said);
    assertTrue(said.contains("the tests need chromium"), said);
    assertTrue(said.contains("ANCLA_CHROMIUM"), said);

    Path browser = dir.resolve("chromium");
    Files.writeString(browser, "#!/bin/sh\n");
    browser.toFile().setExecutable(true);
    var present =
        new ProcessBuilder("/usr/bin/bash", "-c", call)
            .redirectErrorStream(true)
            .directory(Path.of("").toAbsolutePath().toFile());
    present.environment().put("PATH", bin.toString());
    present.environment().put("ANCLA_CHROMIUM", browser.toString());
    Process q = present.start();
    String quiet = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(q.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, q.exitValue(), quiet);
    assertEquals("", quiet, "nothing to install, nothing said");
  }

  @Test
  void withoutAJdk25ItSaysWhatToInstall() throws Exception {
    Path app = imageLayout();
    Path jvms = Files.createDirectories(dir.resolve("jvms"));
    Run run =
        run(
            app.resolve("ancla"),
            Map.of("JAVA_HOME", "/nonexistent", "ANCLA_JVM_DIR", jvms.toString()),
            "--version");
    assertEquals(1, run.exit());
    assertTrue(run.err().contains("no JDK 25 or newer found"), run.err());
    assertTrue(run.err().contains("JAVA_HOME"), run.err());
  }
}
