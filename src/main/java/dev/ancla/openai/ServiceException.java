package dev.ancla.openai;

import java.io.IOException;

/**
 * A remote model service (chat or embeddings) failed to answer: unreachable, timed out, an HTTP
 * error, or an answer that cannot be read. The message names the service, its URL and what it said
 * (never the API key), so the server passes it on as it is: 504 when it timed out, else 502.
 */
public final class ServiceException extends IOException {
  private final boolean timedOut;

  ServiceException(String message, Throwable cause, boolean timedOut) {
    super(message, cause);
    this.timedOut = timedOut;
  }

  /** The service did not answer in time (a gateway timeout rather than a bad gateway). */
  public boolean timedOut() {
    return timedOut;
  }
}
