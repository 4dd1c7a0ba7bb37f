package dev.ancla.server;

import dev.ancla.runtime.JobRunner;
import dev.ancla.sync.Progress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Jobs as JSON objects, for status, events and 409 answers. */
final class JobView {
  private JobView() {}

  static Map<String, Object> running(JobRunner.Job job) {
    Progress p = job.progress().snapshot();
    var m = new LinkedHashMap<String, Object>();
    m.put("id", job.id());
    m.put("kind", job.kind());
    m.put("state", "running");
    m.put("startedAt", job.startedAt().toString());
    m.put("phase", p.phase().name().toLowerCase(Locale.ROOT));
    m.put("documentsTotal", p.documentsTotal());
    m.put("documentsDone", p.documentsDone());
    m.put("failed", p.failed());
    m.put("skipped", p.skipped());
    m.put("chunksEmbedded", p.chunksEmbedded());
    m.put("chunksReused", p.chunksReused());
    m.put("chunksPerSecond", round(p.chunksPerSecond()));
    m.put("fraction", round(p.fraction()));
    m.put("elapsedSeconds", round(p.elapsed().toMillis() / 1000.0));
    m.put("etaSeconds", p.eta().map(d -> (Object) d.toSeconds()).orElse(null));
    return m;
  }

  static Map<String, Object> finished(JobRunner.Finished f) {
    var m = new LinkedHashMap<String, Object>();
    m.put("id", f.job().id());
    m.put("kind", f.job().kind());
    m.put(
        "state",
        f.error().isPresent() ? "failed" : f.outcome().get().complete() ? "complete" : "stopped");
    m.put("startedAt", f.job().startedAt().toString());
    m.put("finishedAt", f.finishedAt().toString());
    f.outcome().ifPresent(o -> m.put("report", o.report()));
    f.error().ifPresent(e -> m.put("error", e));
    return m;
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
