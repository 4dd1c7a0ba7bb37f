package dev.ancla.openai;

import static org.junit.jupiter.api.Assertions.*;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The client's failures over a real network: what a user reads when the service is not there. */
class OpenAiClientTest {
  @Test
  void aRefusedConnectionSaysSoAndNamesTheServiceAndItsUrl() throws Exception {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // free now: nothing listens once it is closed
    }
    URI base = URI.create("http://127.0.0.1:" + port + "/v1");
    try (var client =
        new OpenAiClient(
            "the chat model",
            base,
            Optional.of("sk-secret-0123456789"),
            "ANCLA_LLM_API_KEY",
            Duration.ofSeconds(5),
            new OpenAiClient.Retry(2, Duration.ofMillis(1), Duration.ofMillis(2)))) {
      var e =
          assertThrows(
              ServiceException.class, () -> client.post("/chat/completions", Map.of("model", "m")));
      assertTrue(
          e.getMessage()
              .startsWith("the chat model at " + base + "/chat/completions cannot be reached: "),
          e.getMessage());
      assertTrue(e.getMessage().contains("connection was refused"), e.getMessage());
      assertFalse(e.getMessage().contains("null"), e.getMessage());
      assertTrue(e.getMessage().endsWith("(gave up after 2 attempts)"), e.getMessage());
      assertFalse(e.timedOut());
      var streamed =
          assertThrows(
              ServiceException.class,
              () -> client.stream("/chat/completions", Map.of("model", "m"), event -> {}));
      assertTrue(streamed.getMessage().contains("connection was refused"), streamed.getMessage());
    }
  }
}
