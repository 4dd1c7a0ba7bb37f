package dev.ancla.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.answer.Answer;
import dev.ancla.answer.AnswerListener;
import dev.ancla.answer.Citation;
import dev.ancla.answer.Conversation;
import dev.ancla.query.Filter;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ancla as an OpenAI-compatible model, so any OpenAI client or chat UI can ask the knowledge base:
 * {@code GET /v1/models} lists one model, {@code ancla}; {@code POST /v1/chat/completions} answers
 * the last user message from the index, streaming or not. The content ends with a "Sources:" list
 * of the cited chunks, which also come as an extra {@code citations} field.
 *
 * <p>Earlier messages make it a conversation ({@link ChatMessages} reads them): a follow-up is
 * searched as it reads in context ({@link dev.ancla.answer.QueryRewriter}: rewritten by the chat
 * model, else with the previous question when it is short), and a chat model sees the earlier turns
 * before the question and its passages. Answers still come only from the passages.
 */
final class OpenAiRoutes {
  private static final Logger log = LoggerFactory.getLogger(OpenAiRoutes.class);
  static final String MODEL = "ancla";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REFERENCE = Pattern.compile("\\[(\\d+)\\]");

  private final ServerState state;

  OpenAiRoutes(ServerState state) {
    this.state = state;
  }

  void models(Context ctx) {
    ctx.json(Map.of("object", "list", "data", List.of(model())));
  }

  void model(Context ctx) {
    if (!ctx.pathParam("id").equals(MODEL)) {
      throw ApiError.notFound(
          "no model '"
              + Params.abbreviate(ctx.pathParam("id"))
              + "'; Ancla serves one model, 'ancla'");
    }
    ctx.json(model());
  }

  private static Map<String, Object> model() {
    return Map.of("id", MODEL, "object", "model", "created", 0, "owned_by", "ancla");
  }

  void completions(Context ctx) throws Exception {
    JsonNode body = body(ctx.body());
    Conversation conversation = ChatMessages.conversation(body);
    boolean stream = body.path("stream").asBoolean(false);
    var open = state.require();
    String id = "chatcmpl-" + UUID.randomUUID();
    long created = Instant.now().getEpochSecond();
    if (!stream) {
      Answer answer =
          Answering.answer(
              open.ancla(), conversation, AskRoutes.DEFAULT_K, Filter.NONE, AnswerListener.NONE);
      var response = new LinkedHashMap<String, Object>();
      response.put("id", id);
      response.put("object", "chat.completion");
      response.put("created", created);
      response.put("model", MODEL);
      response.put(
          "choices",
          List.of(
              Map.of(
                  "index",
                  0,
                  "message",
                  Map.of(
                      "role",
                      "assistant",
                      "content",
                      answer.text() + sources(answer.text(), answer.citations())),
                  "finish_reason",
                  "stop")));
      response.put("usage", Map.of("prompt_tokens", 0, "completion_tokens", 0, "total_tokens", 0));
      response.put("citations", answer.citations().stream().map(Citation::toMap).toList());
      ctx.json(response);
      return;
    }
    var res = ctx.res();
    res.setStatus(200);
    res.setContentType("text/event-stream; charset=utf-8");
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Accel-Buffering", "no");
    OutputStream out = res.getOutputStream();
    var chunks = new Chunks(out, id, created);
    try {
      chunks.send(Map.of("role", "assistant", "content", ""), null, null);
      var context = new ArrayList<Citation>();
      var text = new StringBuilder();
      Answering.answer(
          open.ancla(),
          conversation,
          AskRoutes.DEFAULT_K,
          Filter.NONE,
          new AnswerListener() {
            @Override
            public void context(List<Citation> citations) {
              context.addAll(citations);
            }

            @Override
            public void token(String token) {
              text.append(token);
              chunks.send(Map.of("content", token), null, null);
            }
          });
      // The streamed text numbers chunks as the stream's context did; list those it referred to.
      String tail = sources(text.toString(), context);
      if (!tail.isEmpty()) {
        chunks.send(Map.of("content", tail), null, null);
      }
      var cited = cited(text.toString(), context);
      chunks.send(Map.of(), "stop", cited.stream().map(Citation::toMap).toList());
      chunks.done();
    } catch (UncheckedIOException e) {
      log.debug("chat stream ended early: {}", e.getMessage());
    } catch (IOException | RuntimeException e) {
      log.warn("POST /v1/chat/completions failed: {}", e.toString());
      try {
        chunks.raw(
            Map.of(
                "error",
                Map.of("message", String.valueOf(e.getMessage()), "type", "server_error")));
        chunks.done();
      } catch (UncheckedIOException _) {
        // the client is gone too
      }
    }
  }

  /** The citations {@code text} refers to, in order of first reference. */
  private static List<Citation> cited(String text, List<Citation> citations) {
    var result = new ArrayList<Citation>();
    Matcher m = REFERENCE.matcher(text);
    while (m.find()) {
      int n = Integer.parseInt(m.group(1));
      citations.stream()
          .filter(c -> c.n() == n && !result.contains(c))
          .findFirst()
          .ifPresent(result::add);
    }
    result.sort(java.util.Comparator.comparingInt(Citation::n));
    return result;
  }

  /** "\n\nSources:\n[1] guia.pdf, page 3 #2" for the citations the text refers to; "" for none. */
  static String sources(String text, List<Citation> citations) {
    List<Citation> cited = cited(text, citations);
    if (cited.isEmpty()) {
      return "";
    }
    var s = new StringBuilder("\n\nSources:");
    for (Citation c : cited) {
      s.append("\n[")
          .append(c.n())
          .append("] ")
          .append(c.source())
          .append('/')
          .append(c.where().replace(" #", " (chunk "))
          .append(')');
    }
    return s.toString();
  }

  private record Chunks(OutputStream out, String id, long created) {
    void send(Map<String, Object> delta, String finish, List<Map<String, Object>> citations) {
      var choice = new LinkedHashMap<String, Object>();
      choice.put("index", 0);
      choice.put("delta", delta);
      choice.put("finish_reason", finish);
      var chunk = new LinkedHashMap<String, Object>();
      chunk.put("id", id);
      chunk.put("object", "chat.completion.chunk");
      chunk.put("created", created);
      chunk.put("model", MODEL);
      chunk.put("choices", List.of(choice));
      if (citations != null) {
        chunk.put("citations", citations);
      }
      raw(chunk);
    }

    void raw(Object data) {
      try {
        write("data: " + JSON.writeValueAsString(data) + "\n\n");
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    void done() {
      write("data: [DONE]\n\n");
    }

    private void write(String frame) {
      try {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static JsonNode body(String raw) {
    try {
      JsonNode node = raw == null || raw.isBlank() ? null : JSON.readTree(raw);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (JsonProcessingException e) {
      // reported below
    }
    throw ApiError.badRequest(
        "the body must be a JSON chat completion request, e.g. " + ChatMessages.EXAMPLE);
  }
}
