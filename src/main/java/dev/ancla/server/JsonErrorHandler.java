package dev.ancla.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty writes itself, before a request reaches Javalin: a request it cannot parse
 * (400), a URI or headers too long (414, 431), a failure after a response began. They get the same
 * security headers as every other answer and the API's JSON error, {@code {"error": "..."}}, in
 * place of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  JsonErrorHandler() {
    setCacheControl("no-store");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    HttpApi.SECURITY_HEADERS.forEach((name, value) -> response.getHeaders().put(name, value));
    return super.handle(request, response, callback);
  }

  /** Every method but HEAD gets a body (Jetty's default leaves out all but GET, POST and HEAD). */
  @Override
  public boolean errorPageForMethod(String method) {
    return !"HEAD".equals(method);
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(Map.of("error", explain(code, message)));
    } catch (JsonProcessingException e) {
      callback.failed(e);
      return;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** Jetty's reason, with what to do about it where the status says. */
  static String explain(int code, String reason) {
    String why = reason == null || reason.isBlank() ? "" : " (" + reason + ")";
    return switch (code) {
      case 400 ->
          "the request is not valid HTTP"
              + why
              + "; send e.g. 'GET /api/search?q=faro HTTP/1.1' with a Host header";
      case 414 ->
          "the request URI is too long"
              + why
              + "; send a long query in a body instead: POST /api/search with {\"q\": \"...\"}";
      case 431 -> "the request headers are too large" + why + "; send fewer or shorter headers";
      default -> "HTTP " + code + why;
    };
  }
}
