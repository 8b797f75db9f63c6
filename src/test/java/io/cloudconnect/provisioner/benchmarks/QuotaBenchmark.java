package io.cloudconnect.provisioner.benchmarks;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.emnify.simulator.SimulatorFaults;
import io.cloudconnect.provisioner.reliability.Database;
import io.cloudconnect.provisioner.reliability.Scenario;
import io.cloudconnect.provisioner.support.Outcomes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * (b) Provisioning throughput under emnify's quota, time-compressed: every duration and every
 * budget of emnify and of the service divided by {@link #COMPRESSION} together (a 30-second window
 * of 200 calls for emnify's 5 minutes and 2,000; a status step of 6 s for 60 s, so an attachment is
 * Active 18 s after its create, 3 minutes in real time; the 30-minute deadline 3 minutes; a create
 * that takes 100 ms for a slow emnify's 1 s), so call counts are those of a real run ten times as
 * long. The simulator enforces both rate windows and answers 429 without Retry-After, as emnify
 * documents.
 */
final class QuotaBenchmark {
  static final int COMPRESSION = 10;
  static final Duration WINDOW = Duration.ofMinutes(5).dividedBy(COMPRESSION);
  static final int QUOTA = 2000 / COMPRESSION;
  static final int AUTH_QUOTA = 100 / COMPRESSION;

  private QuotaBenchmark() {}

  /** What one run provisioned, and what it cost. */
  record Run(
      String strategy,
      int pageCap,
      int requests,
      int ready,
      int timedOut,
      int otherFailures,
      int pending,
      long calls,
      long listCalls,
      long detailReads,
      long creates,
      long throttled,
      int peakCreatedNotReady,
      int peakWaiting,
      double steadyReadyPerWindow,
      double secondsToAllReady) {

    /** The physical bound: two calls per attachment (its create, one detail read). */
    static double boundPerWindow() {
      return QUOTA / 2.0;
    }

    double ofBound() {
      return steadyReadyPerWindow / boundPerWindow();
    }

    double callsPerReady() {
      return ready == 0 ? Double.NaN : calls / (double) ready;
    }
  }

  /**
   * {@code requests} published at once to one replica using {@code strategy} ({@code planned} or
   * {@code per-resource}) against a simulator whose list pages hold at most {@code pageCap} (0: the
   * list as emnify documents it, unpaged, the whole list in one answer); the run ends when every
   * request has its outcome or {@code limit} has passed.
   */
  static Run run(String strategy, int pageCap, int requests, Duration limit) throws Exception {
    try (Scenario scenario =
        new Scenario(
            "quota-" + strategy + "-" + pageCap,
            Duration.ofSeconds(60).dividedBy(COMPRESSION),
            Database.machine(),
            options ->
                pageCap == 0 ? options.withPagedList(false) : options.withPerPageCap(pageCap))) {
      EmnifySimulator simulator = scenario.simulator;
      // DOC-RATE: 2,000 calls and 100 authentications per 5 minutes and IP, both scaled
      simulator.faults().rateLimits(true, WINDOW, QUOTA, AUTH_QUOTA);
      simulator
          .faults()
          .on("POST /cnc/breakout/vpn", new SimulatorFaults.Rule(0, 0, 0, 0, scaled(1000)));
      compressed(scenario).with("cloudconnect.polling.strategy", strategy);
      scenario.startReplicas(1);
      long callsFrom = calls(simulator);
      long listsFrom = simulator.requests("GET /cnc/breakout");
      long detailsFrom = simulator.requests("GET /cnc/breakout/{id}");
      long createsFrom = simulator.requests("POST /cnc/breakout/vpn");
      long throttledFrom = simulator.faults().injected(SimulatorFaults.Verdict.THROTTLE);
      StateSampler sampler = new StateSampler(scenario.database());
      long start = System.currentTimeMillis();
      List<String> ids = scenario.publish(requests);
      sampler.start();
      long deadline = System.nanoTime() + limit.toNanos();
      while (System.nanoTime() < deadline && outcomes(scenario, ids) < requests) {
        Thread.sleep(500);
      }
      sampler.stop();
      long calls = calls(simulator) - callsFrom;
      List<Long> readyAt = new ArrayList<>();
      int timedOut = 0, failed = 0, pending = 0;
      for (String id : ids) {
        List<ConsumerRecord<byte[], byte[]>> outcomes =
            scenario.watcher.records(scenario.events, id);
        if (outcomes.isEmpty()) {
          pending++;
        } else if (Outcomes.headers(outcomes.get(0)).get("ce_type").endsWith("ready")) {
          readyAt.add(outcomes.get(0).timestamp() - start);
        } else if (new String(outcomes.get(0).value()).contains("TIMED_OUT")) {
          timedOut++;
        } else {
          failed++;
        }
      }
      Collections.sort(readyAt);
      return new Run(
          strategy,
          pageCap,
          requests,
          readyAt.size(),
          timedOut,
          failed,
          pending,
          calls,
          simulator.requests("GET /cnc/breakout") - listsFrom,
          simulator.requests("GET /cnc/breakout/{id}") - detailsFrom,
          simulator.requests("POST /cnc/breakout/vpn") - createsFrom,
          simulator.faults().injected(SimulatorFaults.Verdict.THROTTLE) - throttledFrom,
          sampler.peak("PROVISIONING"),
          sampler.peak("RECEIVED"),
          sampler.saturatedReadyPerWindow(requests).orElse(steadyPerWindow(readyAt)),
          readyAt.size() == requests ? readyAt.get(readyAt.size() - 1) / 1000.0 : Double.NaN);
    }
  }

  /**
   * READY per window between the 10th and the 90th percentile of the ready times: the steady rate,
   * without the first minutes (nothing can be Active yet) and the tail (nothing left to create).
   */
  static double steadyPerWindow(List<Long> readyAtMillis) {
    if (readyAtMillis.size() < 10) {
      return 0;
    }
    int from = readyAtMillis.size() / 10;
    int to = readyAtMillis.size() * 9 / 10;
    double seconds = (readyAtMillis.get(to) - readyAtMillis.get(from)) / 1000.0;
    return seconds <= 0 ? 0 : (to - from) / seconds * WINDOW.toSeconds();
  }

  /** Every duration and budget of the service divided by the compression, as emnify's are. */
  static Scenario compressed(Scenario scenario) {
    return scenario
        // the poller's pause is calls over a rate, and the rate (calls per window over the window)
        // is the same compressed or not: the pause keeps its production bound, half the
        // production lease (one replica here, so no hand-over waits for the lease)
        .with("cloudconnect.leases.duration", "60s")
        .with("cloudconnect.budget.window", WINDOW.toSeconds() + "s")
        // the defaults (1,960 per window, burst 40, reserve 10), scaled
        .with("cloudconnect.budget.api.per-window", String.valueOf(1960 / COMPRESSION))
        .with("cloudconnect.budget.api.burst", String.valueOf(40 / COMPRESSION))
        .with("cloudconnect.budget.api.reserve", String.valueOf(10 / COMPRESSION))
        .with("cloudconnect.budget.authentication.per-window", String.valueOf(50 / COMPRESSION))
        .with("cloudconnect.budget.authentication.burst", "1")
        .with("cloudconnect.budget.throttled-pause", scaled(30_000).toMillis() + "ms")
        .with("cloudconnect.poll-interval", scaled(15_000).toMillis() + "ms")
        .with("cloudconnect.polling.first-look-after", scaled(60_000).toMillis() + "ms")
        .with("cloudconnect.provisioning-timeout", scaled(30 * 60_000).toMillis() + "ms")
        .with("cloudconnect.creation.max-wait-for-turn", scaled(60 * 60_000).toMillis() + "ms")
        .with("cloudconnect.creation.interval", scaled(1000).toMillis() + "ms")
        .with("cloudconnect.creation.retry-backoff", scaled(5000).toMillis() + "ms")
        .with("cloudconnect.creation.max-retry-backoff", scaled(5 * 60_000).toMillis() + "ms")
        .with("cloudconnect.creation.ambiguous-grace", scaled(2 * 60_000).toMillis() + "ms")
        .with("cloudconnect.creation.max-submit-age", scaled(10 * 60_000).toMillis() + "ms");
  }

  static Duration scaled(long realMillis) {
    return Duration.ofMillis(realMillis / COMPRESSION);
  }

  private static long calls(EmnifySimulator simulator) {
    return simulator.requestCounts().entrySet().stream()
        .filter(e -> !e.getKey().contains("authenticat"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static long outcomes(Scenario scenario, List<String> ids) {
    return ids.stream()
        .filter(id -> !scenario.watcher.records(scenario.events, id).isEmpty())
        .count();
  }

  static String table(List<Run> runs) {
    StringBuilder table =
        new StringBuilder(
            String.format(
                "| strategy | page cap | requests | READY | TIMED_OUT | other | none yet | calls |"
                    + " lists | detail reads | creates | 429s | peak created, not ready | peak"
                    + " waiting (RECEIVED) | READY per window while saturated | of the bound (%.0f) |"
                    + " calls per READY | s to all READY |%n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|%n",
                Run.boundPerWindow()));
    for (Run r : runs) {
      table.append(
          String.format(
              "| %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.1f |"
                  + " %.1f %% | %.2f | %.0f |%n",
              r.strategy(),
              r.pageCap() == 0 ? "unpaged" : String.valueOf(r.pageCap()),
              r.requests(),
              r.ready(),
              r.timedOut(),
              r.otherFailures(),
              r.pending(),
              r.calls(),
              r.listCalls(),
              r.detailReads(),
              r.creates(),
              r.throttled(),
              r.peakCreatedNotReady(),
              r.peakWaiting(),
              r.steadyReadyPerWindow(),
              r.ofBound() * 100,
              r.callsPerReady(),
              r.secondsToAllReady()));
    }
    return table.toString();
  }

  /**
   * The sagas by state, sampled every second: how many wait, how many are created but not ready.
   */
  private static final class StateSampler {
    private final Database database;
    private final Map<String, Integer> peaks = new ConcurrentHashMap<>();
    private final List<long[]> samples = Collections.synchronizedList(new ArrayList<>());
    private final long started = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    StateSampler(Database database) {
      this.database = database;
    }

    void start() {
      timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
      timer.shutdown();
      timer.awaitTermination(10, TimeUnit.SECONDS);
    }

    int peak(String state) {
      return peaks.getOrDefault(state, 0);
    }

    /**
     * READY per window while the pipeline is full: from when a tenth of the requests are READY (the
     * first attachments have had their minutes to become Active) until the last request left
     * RECEIVED (nothing more to create), the slope of the READY count; empty when that span is
     * shorter than a window.
     */
    java.util.Optional<Double> saturatedReadyPerWindow(int requests) {
      List<long[]> series = new ArrayList<>(samples);
      long[] from = null;
      long[] to = null;
      for (long[] sample : series) { // {millis, ready, waiting}
        if (from == null && sample[1] >= requests / 10) {
          from = sample;
        } else if (from != null && to == null && sample[2] == 0) {
          to = sample;
        }
      }
      if (from == null || to == null || to[0] - from[0] < WINDOW.toMillis()) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(
          (to[1] - from[1]) / ((to[0] - from[0]) / 1000.0) * WINDOW.toSeconds());
    }

    private void sample() {
      try (java.sql.Connection connection = database.connect();
          java.sql.ResultSet rows =
              connection
                  .createStatement()
                  .executeQuery("select state, count(*) from provisioning_saga group by state")) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        while (rows.next()) {
          counts.put(rows.getString(1), rows.getInt(2));
          peaks.merge(rows.getString(1), rows.getInt(2), Math::max);
        }
        samples.add(
            new long[] {
              (System.nanoTime() - started) / 1_000_000,
              counts.getOrDefault("READY", 0),
              counts.getOrDefault("RECEIVED", 0) + counts.getOrDefault("CREATING", 0)
            });
      } catch (Exception e) {
        // a missed sample only lowers a peak a little
      }
    }
  }
}
