package dev.ancla.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real SolrCloud cluster (ZooKeeper and Jetty nodes from solr-test-framework 9.10.1) in a child
 * JVM, for the Solr backend's tests. Solr's jars (Lucene 9, Jetty 10) never join this JVM: the
 * child runs on the classpath of the separate {@code solr-cluster/} Maven project, built on first
 * use, and Ancla talks to the nodes over HTTP. One cluster per test class keeps the suite quick (3
 * nodes start in about 5 s).
 */
public final class SolrTestCluster implements AutoCloseable {
  private static final Path PROJECT = Path.of("solr-cluster").toAbsolutePath();

  private final Process process;
  private final PrintWriter commands;
  private final BufferedReader answers;
  private final String zkHost;
  private final List<URI> nodes;

  private SolrTestCluster(Process process, BufferedReader answers, String ready) {
    this.process = process;
    this.commands =
        new PrintWriter(
            new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8),
            true);
    this.answers = answers;
    String[] words = ready.split(" ");
    this.zkHost = words[1];
    this.nodes = Arrays.stream(words, 2, words.length).map(URI::create).toList();
  }

  private static SolrTestCluster shared;

  /**
   * One 3-node cluster for every Solr test class of this JVM (each uses its own collection), so the
   * suite pays for one start. It stops when the JVM exits: the child quits when its standard input
   * closes. A class that stops nodes starts them again before it ends.
   */
  public static synchronized SolrTestCluster shared() throws IOException, InterruptedException {
    if (shared == null) {
      Path dir = Files.createTempDirectory("ancla-solr-");
      shared = start(dir, 3);
      SolrTestCluster cluster = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
    }
    return shared;
  }

  /** The nodes as ANCLA_INDEX_URL lists them, e.g. solr://127.0.0.1:4001,127.0.0.1:4002/name. */
  public String indexUrl(String collection, String options) {
    var hosts = new ArrayList<String>();
    for (URI node : nodes) {
      hosts.add(node.getHost() + ":" + node.getPort());
    }
    return "solr://" + String.join(",", hosts) + "/" + collection + options;
  }

  /** Starts {@code nodes} Solr nodes and ZooKeeper with their data under {@code dir}. */
  public static SolrTestCluster start(Path dir, int nodes)
      throws IOException, InterruptedException {
    List<String> classpath = classpath();
    Files.createDirectories(dir);
    Path args = dir.resolve("classpath.args");
    Files.writeString(args, "-cp \"" + String.join(java.io.File.pathSeparator, classpath) + "\"\n");
    var command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx1g",
            "-Dsolr.log.dir=" + dir.resolve("logs"),
            "@" + args,
            "dev.ancla.solrcluster.ClusterMain",
            dir.resolve("cluster").toString(),
            String.valueOf(nodes));
    Process process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("cluster.log").toFile()))
            .start();
    var out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    if (first == null || !first.startsWith("READY ")) {
      process.destroyForcibly().waitFor();
      throw new IOException(
          "the Solr test cluster did not start (said \""
              + first
              + "\"); see "
              + dir.resolve("cluster.log"));
    }
    return new SolrTestCluster(process, out, first);
  }

  /**
   * The classpath of solr-cluster/, building it first when it is missing or older than its sources:
   * offline first, then online when the dependencies are not in the local repository.
   */
  private static List<String> classpath() throws IOException, InterruptedException {
    Path list = PROJECT.resolve("target/classpath.txt");
    Path classes = PROJECT.resolve("target/classes");
    if (!Files.exists(list) || stale(list)) {
      if (!build(true) && !build(false)) {
        throw new IOException(
            "could not build solr-cluster/ (see target/solr-cluster-build.log); try "
                + "./mvnw -f solr-cluster/pom.xml package");
      }
    }
    var entries = new ArrayList<String>();
    entries.add(classes.toString());
    entries.addAll(List.of(Files.readString(list).strip().split(java.io.File.pathSeparator)));
    return entries;
  }

  private static boolean stale(Path built) throws IOException {
    var time = Files.getLastModifiedTime(built);
    try (var files = Files.walk(PROJECT.resolve("src"))) {
      return Files.getLastModifiedTime(PROJECT.resolve("pom.xml")).compareTo(time) > 0
          || files.anyMatch(
              f -> {
                try {
                  return Files.getLastModifiedTime(f).compareTo(time) > 0;
                } catch (IOException e) {
                  return true;
                }
              });
    }
  }

  private static boolean build(boolean offline) throws IOException, InterruptedException {
    var command = new ArrayList<>(List.of(Path.of("mvnw").toAbsolutePath().toString(), "-B", "-q"));
    if (offline) {
      command.add("-o");
    }
    command.addAll(List.of("-f", PROJECT.resolve("pom.xml").toString(), "package"));
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Path log = Path.of("target/solr-cluster-build.log").toAbsolutePath();
    Process maven = builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!maven.waitFor(10, TimeUnit.MINUTES)) {
      maven.destroyForcibly();
      return false;
    }
    return maven.exitValue() == 0;
  }

  /** ZooKeeper's address, with the /solr chroot. */
  public String zkHost() {
    return zkHost;
  }

  /** Each node's base URL, e.g. http://127.0.0.1:40123/solr. */
  public List<URI> nodes() {
    return nodes;
  }

  /** Stops node {@code i}; its URL refuses connections until {@link #startNode}. */
  public synchronized void stopNode(int i) throws IOException {
    ask("stop " + i, "STOPPED " + i);
  }

  /** Starts node {@code i} again on the same port. */
  public synchronized void startNode(int i) throws IOException {
    ask("start " + i, "STARTED " + i);
  }

  private void ask(String command, String expected) throws IOException {
    commands.println(command);
    String answer = answers.readLine();
    if (answer == null || !answer.startsWith(expected)) {
      throw new IOException("the Solr test cluster answered \"" + answer + "\" to " + command);
    }
  }

  /** Kills the whole cluster at once (SIGKILL): every node and ZooKeeper become unreachable. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** Shuts the cluster down (SIGKILL after 30 s). */
  @Override
  public void close() {
    if (process.isAlive()) {
      commands.println("quit");
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
