package dev.ancla.server;

import dev.ancla.Ancla;
import dev.ancla.StatusFields;
import dev.ancla.config.Config;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Liveness, readiness and status. {@code /healthz} answers 200 as soon as the port is open (the
 * process lives); {@code /readyz} answers 200 once an index is open, restored or local, however
 * much is indexed yet, and 503 again while shutting down (ARCHITECTURE.md decision 7).
 */
final class StatusRoutes {
  private final ServerState state;
  private final Config config;

  StatusRoutes(ServerState state, Config config) {
    this.state = state;
    this.config = config;
  }

  void health(Context ctx) {
    ctx.json(Map.of("status", "ok"));
  }

  void ready(Context ctx) {
    var body = new LinkedHashMap<String, Object>();
    body.put("ready", state.ready());
    if (state.isStopping()) {
      body.put("reason", "shutting down");
    } else if (state.open().isEmpty()) {
      body.put("reason", "opening the index");
    } else {
      body.put("boot", state.open().get().ancla().boot().describe());
    }
    ctx.status(state.ready() ? 200 : 503).json(body);
  }

  /** The fields of {@code status --json}, plus the job now running, the last one and snapshots. */
  void status(Context ctx) throws Exception {
    var open = state.require();
    Ancla ancla = open.ancla();
    Map<String, Object> body = new LinkedHashMap<>(StatusFields.of(ancla));
    body.put("version", Ancla.VERSION);
    body.put("boot", ancla.boot().describe());
    body.put("job", open.jobs().current().map(JobView::running).orElse(null));
    body.put("lastJob", open.jobs().last().map(JobView::finished).orElse(null));
    body.put("lastSnapshot", null); // snapshots are not wired into the server yet
    body.put("sources", config.sources().stream().map(Config.SourceSpec::id).toList());
    ctx.json(body);
  }
}
