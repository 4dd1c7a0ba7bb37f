package dev.ancla.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.answer.Answer;
import dev.ancla.answer.AnswerListener;
import dev.ancla.answer.Citation;
import dev.ancla.answer.Conversation;
import dev.ancla.answer.Conversation.Turn;
import dev.ancla.query.Filter;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/ask} with {@code {"question", "history", "k", "source", "path", "type"}}:
 * retrieves the best chunks and answers from them with citations. {@code history}, the earlier user
 * and assistant turns (read by {@link ChatMessages#history}), makes the question a follow-up,
 * answered like {@code /v1/chat/completions} answers one ({@link Answering}). {@code Accept:
 * text/event-stream} streams it: {@code citations} first, then {@code token} events, then {@code
 * done} with the whole response; a failure after the stream started is an {@code error} event.
 * Anything else gets the JSON response {@code {"answer", "citations", "mode", "model", "tookMs"}}.
 */
final class AskRoutes {
  private static final Logger log = LoggerFactory.getLogger(AskRoutes.class);
  static final int DEFAULT_K = 6;
  static final int MAX_K = 20;
  static final int MAX_QUESTION_CHARS = 2_000;
  private static final String EXAMPLE =
      "{\"question\": \"¿Cómo se restaura una copia?\", \"k\": 6}";
  private static final String HISTORY_EXAMPLE =
      "{\"question\": \"¿y cómo la borro?\", \"history\": [{\"role\": \"user\", \"content\":"
          + " \"¿Cómo creo una instantánea?\"}, {\"role\": \"assistant\", \"content\": \"Con"
          + " ancla snapshot.\"}]}";
  private static final Set<String> FIELDS =
      Set.of("question", "history", "k", "source", "path", "type");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerState state;
  private final Metrics metrics;

  AskRoutes(ServerState state, Metrics metrics) {
    this.state = state;
    this.metrics = metrics;
  }

  /** A validated request; a single question is a conversation without history. */
  record Ask(Conversation conversation, int k, Filter filter) {}

  void ask(Context ctx) throws Exception {
    Ask ask = parse(ctx.bodyAsBytes());
    var open = state.require();
    long start = System.nanoTime();
    String accept = ctx.header("Accept");
    if (accept != null && accept.contains("text/event-stream")) {
      stream(ctx, open, ask, start);
      metrics.answer().record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
      return;
    }
    Answer answer = answer(open, ask, AnswerListener.NONE);
    long nanos = System.nanoTime() - start;
    metrics.answer().record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    ctx.json(answer.toMap(nanos / 1_000_000));
  }

  private static void stream(Context ctx, ServerState.Open open, Ask ask, long start)
      throws IOException {
    var res = ctx.res();
    res.setStatus(200);
    res.setContentType("text/event-stream; charset=utf-8");
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Accel-Buffering", "no"); // nginx and friends: do not hold tokens back
    OutputStream out = res.getOutputStream();
    var events = new Events(out);
    try {
      Answer answer =
          answer(
              open,
              ask,
              new AnswerListener() {
                @Override
                public void context(List<Citation> citations) {
                  events.send("citations", citations.stream().map(Citation::toMap).toList());
                }

                @Override
                public void token(String text) {
                  events.send("token", Map.of("text", text));
                }
              });
      events.send("done", answer.toMap((System.nanoTime() - start) / 1_000_000));
    } catch (UncheckedIOException e) {
      log.debug("ask stream ended early: {}", e.getMessage()); // the client went away
    } catch (IOException | RuntimeException e) {
      String message =
          e instanceof IOException || e instanceof IllegalArgumentException
              ? String.valueOf(e.getMessage())
              : "internal error (" + e.getClass().getSimpleName() + "); see the server log";
      if (!(e instanceof IOException || e instanceof IllegalArgumentException)) {
        log.error("POST /api/ask failed", e);
      } else {
        log.warn("POST /api/ask failed: {}", message);
      }
      try {
        events.send("error", Map.of("error", message));
      } catch (UncheckedIOException _) {
        // the client is gone too
      }
    }
  }

  private static Answer answer(ServerState.Open open, Ask ask, AnswerListener listener)
      throws IOException {
    return Answering.answer(open.ancla(), ask.conversation(), ask.k(), ask.filter(), listener);
  }

  /** Writes server-sent events, one flush each so that tokens arrive as they are written. */
  private record Events(OutputStream out) {
    void send(String event, Object data) {
      try {
        String frame = "event: " + event + "\ndata: " + JSON.writeValueAsString(data) + "\n\n";
        synchronized (this) {
          out.write(frame.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static Ask parse(byte[] body) {
    JsonBody json = JsonBody.parse(body, "/api/ask", FIELDS, EXAMPLE);
    String question =
        json.text("question", MAX_QUESTION_CHARS)
            .orElseThrow(
                () ->
                    ApiError.badRequest(
                        "'question' is required and must be a non-blank string, e.g. " + EXAMPLE));
    List<Turn> history =
        json.has("history")
            ? ChatMessages.history(json.get("history"), HISTORY_EXAMPLE)
            : List.of();
    return new Ask(
        new Conversation(history, question, ""),
        json.integer("k", 1, MAX_K, DEFAULT_K),
        json.filter());
  }
}
