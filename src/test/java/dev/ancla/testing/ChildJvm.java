package dev.ancla.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a real child JVM on the test classpath, for lock and crash tests. The classpath goes in an
 * argument file: ONNX Runtime crashes a JVM whose command line is longer than about 4 KB.
 */
public final class ChildJvm {
  private ChildJvm() {}

  public static ProcessBuilder builder(Class<?> main, Map<String, String> env, String... args)
      throws IOException {
    return builder(main, List.of(), env, args);
  }

  /** With extra JVM options, which come after the defaults and so win (e.g. "-Xmx512m"). */
  public static ProcessBuilder builder(
      Class<?> main, List<String> jvmOptions, Map<String, String> env, String... args)
      throws IOException {
    String classpathFile =
        System.getProperty("ancla.test.classpath.file", "target/test-classpath.txt");
    String dependencies = Files.readString(Path.of(classpathFile)).strip();
    String classpath =
        String.join(
            File.pathSeparator,
            Path.of("target/classes").toAbsolutePath().toString(),
            Path.of("target/test-classes").toAbsolutePath().toString(),
            dependencies);
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "--add-modules",
            "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            "-Xlog:disable",
            "-Xlog:all=warning:stderr",
            "-Xmx1g"));
    command.addAll(jvmOptions);
    command.addAll(List.of("@" + argFile(classpath), main.getName()));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("ANCLA_"));
    builder.environment().putAll(env);
    return builder;
  }

  private static String argFile(String classpath) throws IOException {
    Path file = Path.of("target/child-jvm-classpath.args").toAbsolutePath();
    String line = "-cp \"" + classpath.replace("\\", "\\\\") + "\"\n";
    if (!Files.exists(file) || !Files.readString(file).equals(line)) {
      Path tmp = Files.createTempFile(file.getParent(), "classpath", ".tmp");
      Files.writeString(tmp, line);
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    return file.toString();
  }
}
