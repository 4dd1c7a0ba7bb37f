package dev.ancla.server;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Bearer tokens (ARCHITECTURE.md decision 9). Admin operations need {@code ANCLA_ADMIN_TOKEN}; with
 * none configured they are refused (403), never open. Search, status and events need {@code
 * ANCLA_API_TOKEN} when one is configured; the admin token is accepted there too.
 *
 * <p>Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, which takes the
 * same time wherever the first difference is, and hashing first hides the token's length.
 */
final class Auth {
  private final Optional<byte[]> admin;
  private final Optional<byte[]> api;

  Auth(Optional<String> adminToken, Optional<String> apiToken) {
    this.admin = adminToken.map(Auth::digest);
    this.api = apiToken.map(Auth::digest);
  }

  /** Wraps {@code handler} so that it runs only for a caller with the admin token. */
  Handler admin(Handler handler) {
    return ctx -> {
      requireAdmin(ctx);
      handler.handle(ctx);
    };
  }

  /** Wraps {@code handler} so that it runs only for a caller with the API (or admin) token. */
  Handler api(Handler handler) {
    return ctx -> {
      requireApi(ctx);
      handler.handle(ctx);
    };
  }

  void requireAdmin(Context ctx) {
    if (admin.isEmpty()) {
      throw ApiError.forbidden(
          "admin operations are disabled because no ANCLA_ADMIN_TOKEN is configured. Set"
              + " ANCLA_ADMIN_TOKEN to a secret of at least 16 characters (e.g. the output of"
              + " `openssl rand -hex 32`), restart Ancla, and send it as"
              + " 'Authorization: Bearer <token>'");
    }
    byte[] presented = presented(ctx, "ANCLA_ADMIN_TOKEN");
    if (!MessageDigest.isEqual(presented, admin.get())) {
      throw unauthorized(ctx, "the bearer token is not the admin token (ANCLA_ADMIN_TOKEN)");
    }
  }

  void requireApi(Context ctx) {
    if (api.isEmpty()) {
      return;
    }
    byte[] presented = presented(ctx, "ANCLA_API_TOKEN");
    boolean isApi = MessageDigest.isEqual(presented, api.get());
    boolean isAdmin = admin.isPresent() && MessageDigest.isEqual(presented, admin.get());
    if (!(isApi | isAdmin)) { // both compared, whichever matches: no early exit to time
      throw unauthorized(ctx, "the bearer token is not the API token (ANCLA_API_TOKEN)");
    }
  }

  private static byte[] presented(Context ctx, String which) {
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      throw unauthorized(
          ctx, "this endpoint needs 'Authorization: Bearer <token>' with the value of " + which);
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
      throw unauthorized(
          ctx,
          "the Authorization header must be 'Bearer <token>' with the value of "
              + which
              + "; other schemes are not accepted");
    }
    return digest(header.substring(7).strip());
  }

  private static ApiError unauthorized(Context ctx, String message) {
    ctx.header("WWW-Authenticate", "Bearer realm=\"ancla\"");
    return ApiError.unauthorized(message);
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
