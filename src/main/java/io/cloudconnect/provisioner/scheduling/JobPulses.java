package io.cloudconnect.provisioner.scheduling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What each background job shows of being alive: its passes by outcome, their duration, and the
 * time since its last pass ended ({@code cloudconnect_job_*}, one series per job), for the wellness
 * check, the alert rule and the operator. A pass that fails (emnify or the database down) still
 * ended: the job is alive, and its failures are counted apart. A job whose passes stop ending is
 * the one that stopped.
 */
@ApplicationScoped
public class JobPulses {
  /** How a pass ended. */
  public enum Outcome {
    COMPLETED,
    FAILED,
    TIMED_OUT
  }

  /** One job as the checks see it. */
  public record Seen(String job, Duration interval, Duration sinceLastPass) {
    /** A job run once has no interval to be silent against. */
    public boolean repeating() {
      return interval != null;
    }
  }

  private final MeterRegistry metrics;
  private final Map<String, Pulse> pulses = new ConcurrentHashMap<>();
  private volatile long timerBeat = System.nanoTime();
  private final Map<Object, Long> loopBeats = new ConcurrentHashMap<>();
  private volatile boolean running;

  public JobPulses(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  /**
   * A job is known from the moment it is scheduled: silence before its first pass counts too. A job
   * run once and also repeated under the same name (a first pass soon after start) shares one
   * pulse; only a repeating job has an interval to be silent against.
   */
  synchronized Pulse register(String job, Duration interval, boolean repeating) {
    Pulse pulse = pulses.computeIfAbsent(job, name -> new Pulse(name, metrics));
    if (repeating) {
      pulse.repeatsEvery(interval, metrics);
    }
    return pulse;
  }

  /** The jobs' timer thread is running. */
  void timerBeat() {
    running = true;
    timerBeat = System.nanoTime();
  }

  /** {@code loop} (a job's event loop) ran a task posted to it. */
  void loopBeat(Object loop) {
    loopBeats.put(loop, System.nanoTime());
  }

  /**
   * How long ago the runner last showed it works: the older of the timer's last beat and the
   * slowest event loop's; empty while no job runs on this replica (jobs off).
   */
  public java.util.Optional<Duration> runnerSilence() {
    if (!running) {
      return java.util.Optional.empty();
    }
    long now = System.nanoTime();
    long oldest = timerBeat;
    for (long beat : loopBeats.values()) {
      oldest = Math.min(oldest, beat);
    }
    return java.util.Optional.of(Duration.ofNanos(now - oldest));
  }

  /** Every job scheduled on this replica, as it is now. */
  public List<Seen> all() {
    long now = System.nanoTime();
    return pulses.values().stream()
        .map(p -> new Seen(p.job, p.interval, Duration.ofNanos(now - p.lastEnded)))
        .sorted(java.util.Comparator.comparing(Seen::job))
        .toList();
  }

  /** One job's pulse. */
  static final class Pulse {
    private final String job;
    private volatile Duration interval;
    private final Map<Outcome, Counter> passes = new ConcurrentHashMap<>();
    private final Timer duration;
    private volatile long lastEnded = System.nanoTime();

    Pulse(String job, MeterRegistry metrics) {
      this.job = job;
      for (Outcome outcome : Outcome.values()) {
        passes.put(
            outcome,
            Counter.builder("cloudconnect.job.passes")
                .description("background passes that ended, by outcome")
                .tag("job_name", job)
                .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                .register(metrics));
      }
      duration =
          Timer.builder("cloudconnect.job.pass.duration")
              .description("how long a background pass ran")
              .tag("job_name", job)
              .register(metrics);
      Gauge.builder("cloudconnect.job.since.last.pass", this, Pulse::secondsSinceLastPass)
          .description("seconds since this job's last pass ended (or since it was scheduled)")
          .tag("job_name", job)
          .baseUnit("seconds")
          .register(metrics);
    }

    /** Only a repeating job has an interval series, so only it can be alerted on as silent. */
    void repeatsEvery(Duration every, MeterRegistry metrics) {
      if (interval == null) {
        interval = every;
        Gauge.builder("cloudconnect.job.interval", this, p -> p.interval.toMillis() / 1000.0)
            .description("how often this job runs a pass when idle")
            .tag("job_name", job)
            .baseUnit("seconds")
            .register(metrics);
      }
    }

    void ended(Outcome outcome, long startedNanos) {
      long now = System.nanoTime();
      lastEnded = now;
      passes.get(outcome).increment();
      duration.record(now - startedNanos, TimeUnit.NANOSECONDS);
    }

    private double secondsSinceLastPass() {
      return (System.nanoTime() - lastEnded) / 1e9;
    }
  }
}
