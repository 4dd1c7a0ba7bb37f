package dev.ancla.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.ancla.cli.CliContext;
import dev.ancla.cli.Main;
import dev.ancla.testing.TestAncla;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A snapshot and restore with real credentials: no log line, output or error shows them. */
class SecretsTest {
  @RegisterExtension final S3ProxyExtension proxy = S3Fixture.newProxy();
  @TempDir Path dir;

  @Test
  void credentialsAppearInNoLogLineOutputOrError() throws Exception {
    var fixture = new S3Fixture(proxy, "ancla-secrets").createBucket();
    Path docs = Corpus.write(dir.resolve("docs"));
    var env = new HashMap<>(TestAncla.env(dir.resolve("data"), docs));
    env.putAll(fixture.env("prod"));
    String keyId = proxy.getAccessKey();
    String secret = proxy.getSecretKey();

    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    var appender = new ListAppender<ILoggingEvent>();
    appender.setContext(context);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    Logger ancla = context.getLogger("dev.ancla");
    Logger sdk = context.getLogger("software.amazon.awssdk");
    Level rootLevel = root.getLevel();
    root.addAppender(appender);
    ancla.setLevel(Level.DEBUG);
    sdk.setLevel(
        Level.DEBUG); // the SDK at DEBUG names request headers; it must not print their values
    var output = new StringBuilder();
    try {
      output.append(run(env, "init"));
      output.append(run(env, "snapshot", "create", "--json"));
      output.append(run(env, "snapshot", "list"));
      output.append(run(env, "snapshot", "verify"));
      Restorer.deleteTree(dir.resolve("data"));
      output.append(run(env, "init", "--json")); // restores at boot
      assertTrue(output.toString().contains("\"boot\":\"restored\""), output.toString());
      var wrong = new HashMap<>(env);
      wrong.put("AWS_SECRET_ACCESS_KEY", "wrong-" + secret);
      Restorer.deleteTree(dir.resolve("data"));
      output.append(run(wrong, "init")); // fails closed, with the store's error
      output.append(
          run(
              Map.of("ANCLA_SNAPSHOT_URL", "s3://" + keyId + ":" + secret + "@bucket/x"),
              "snapshot",
              "list"));
    } finally {
      root.detachAppender(appender);
      ancla.setLevel(null);
      sdk.setLevel(null);
      root.setLevel(rootLevel);
    }
    assertFalse(appender.list.isEmpty());
    var logs = new StringBuilder();
    for (ILoggingEvent event : appender.list) {
      logs.append(event.getFormattedMessage()).append('\n');
      if (event.getThrowableProxy() != null) {
        logs.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
      }
    }
    assertTrue(logs.toString().contains("restored snapshot"), "the restore was logged");
    for (String text : new String[] {logs.toString(), output.toString()}) {
      assertFalse(text.contains(secret), "secret key leaked");
      assertFalse(text.contains(keyId), "access key id leaked");
    }
  }

  private String run(Map<String, String> env, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var context =
        new CliContext(
            env, new PrintWriter(out, true), new PrintWriter(err, true), false, TestAncla::parts);
    int exit = Main.run(context, args);
    return String.join(" ", args) + " -> " + exit + "\n" + out + err + "\n";
  }
}
