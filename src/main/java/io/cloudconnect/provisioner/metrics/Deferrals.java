package io.cloudconnect.provisioner.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The one way a background pass says that it skips, defers or pauses work: counted in {@code
 * cloudconnect_deferred_total{job_name, reason}} every time, and logged at INFO at most once a
 * minute per job and reason (a lane deferred every second writes one line a minute, with how many
 * times it happened since the last line). A pass that holds work back without saying so here is
 * indistinguishable from one that stopped.
 */
@ApplicationScoped
public class Deferrals {
  private static final Logger LOG = Logger.getLogger(Deferrals.class);
  static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final MeterRegistry metrics;
  private final Map<String, Logged> lastLogged = new ConcurrentHashMap<>();

  public Deferrals(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  /**
   * {@code job} held work back for {@code reason} (a short, fixed word: it is a metric tag); {@code
   * detail} says what and for how long, with no secret in it.
   */
  public void deferred(String job, String reason, String detail) {
    metrics.counter("cloudconnect.deferred", "job_name", job, "reason", reason).increment();
    String key = job + '/' + reason;
    long now = System.nanoTime();
    Logged previous = lastLogged.get(key);
    if (previous == null || now - previous.at() >= LOG_EVERY_NANOS) {
      if (previous == null
          ? lastLogged.putIfAbsent(key, new Logged(now, 0)) == null
          : lastLogged.replace(key, previous, new Logged(now, 0))) {
        long since = previous == null ? 0 : previous.since();
        LOG.infof(
            "%s deferred work (%s): %s%s",
            job, reason, detail, since > 0 ? " (" + since + " more since the last line)" : "");
      }
    } else {
      lastLogged.computeIfPresent(key, (k, logged) -> new Logged(logged.at(), logged.since() + 1));
    }
  }

  private record Logged(long at, long since) {}
}
