package dev.ancla.solrcluster;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A SolrCloud test cluster (ZooKeeper and N Jetty nodes) in this JVM, driven over standard input by
 * the Ancla test that started it. Protocol, one line each way:
 *
 * <ul>
 *   <li>out, once started: {@code READY <zkHost> <url1> <url2> ...} (node base URLs, e.g.
 *       http://127.0.0.1:40123/solr)
 *   <li>in {@code stop <i>}: stops node i (0-based); out {@code STOPPED <i>}
 *   <li>in {@code start <i>}: starts node i again on its port; out {@code STARTED <i> <url>}
 *   <li>in {@code quit}, or standard input closed (the test JVM died): shuts down and exits
 * </ul>
 *
 * An error answers {@code ERROR <message>}. Logs go to standard error.
 */
public final class ClusterMain {
  private ClusterMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: ClusterMain <base-dir> <nodes>, e.g. /tmp/solr 3");
      System.exit(2);
    }
    Path base = Path.of(args[0]);
    int nodes = Integer.parseInt(args[1]);
    // the protocol owns standard output: anything else printed there would break it
    PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    // metrics on, as a real Solr has them (the test solr.xml reads this property): Ancla reads
    // index sizes from them
    System.setProperty("metricsEnabled", "true");
    MiniSolrCloudCluster cluster = new MiniSolrCloudCluster.Builder(nodes, base).build();
    try {
      // by index, fixed: the cluster drops a stopped node from its own list
      List<JettySolrRunner> runners = new ArrayList<>(cluster.getJettySolrRunners());
      List<String> urls = new ArrayList<>();
      for (JettySolrRunner node : runners) {
        urls.add(node.getBaseUrl().toString());
      }
      protocol.println(
          "READY " + cluster.getZkServer().getZkAddress() + " " + String.join(" ", urls));
      var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] words = line.strip().split("\\s+");
        try {
          switch (words[0]) {
            case "stop" -> {
              int i = Integer.parseInt(words[1]);
              cluster.stopJettySolrRunner(runners.get(i));
              cluster.waitForJettyToStop(runners.get(i));
              protocol.println("STOPPED " + i);
            }
            case "start" -> {
              int i = Integer.parseInt(words[1]);
              JettySolrRunner node = runners.get(i);
              cluster.startJettySolrRunner(node, true); // the same port: clients keep their URLs
              cluster.waitForNode(node, 30);
              protocol.println("STARTED " + i + " " + node.getBaseUrl());
            }
            case "quit" -> {
              return;
            }
            default -> protocol.println("ERROR unknown command: " + line);
          }
        } catch (Exception e) {
          e.printStackTrace();
          protocol.println("ERROR " + String.valueOf(e).replace('\n', ' '));
        }
      }
    } finally {
      cluster.shutdown();
    }
  }
}
