package io.cloudconnect.provisioner.benchmarks;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The benchmark suite at full size: {@code scripts/bench.sh} (not part of {@code .ci/run}). Figures
 * land in target/reliability/bench.md and go to docs/PERFORMANCE.md.
 */
class PerformanceBench {
  static final int OTHERS = Integer.getInteger("bench.others", 10_000);
  static final int REQUESTS = Integer.getInteger("bench.requests", 20);
  static final int STARTS = Integer.getInteger("bench.starts", 3);
  static final int IN_FLIGHT = Integer.getInteger("bench.in-flight", 10_000);

  /** (d) the cost of observing when the organisation already holds 10,000 other attachments. */
  @Test
  void observationCostAgainstAnEmptyOrganisation() throws Exception {
    Benchmarks.Observation none = Benchmarks.observation(0, REQUESTS);
    Benchmarks.Observation crowded = Benchmarks.observation(OTHERS, REQUESTS);
    Benchmarks.Observation paged = Benchmarks.observation(OTHERS, REQUESTS, true);
    Benchmarks.report(
        "(d) observation cost\n\n" + Benchmarks.observationTable(none, crowded, paged));
  }

  /**
   * (b) throughput under emnify's quota, time-compressed 10x: the planned strategy against the
   * per-resource reference, each with list pages capped at 50 and at 1,000, and with the list as
   * emnify documents it (unpaged, cap 0).
   */
  @Test
  void throughputUnderTheQuota() throws Exception {
    int burst = Integer.getInteger("bench.quota-burst", 600);
    java.util.List<QuotaBenchmark.Run> runs = new java.util.ArrayList<>();
    boolean reference = Boolean.parseBoolean(System.getProperty("bench.quota-reference", "true"));
    for (String cap : System.getProperty("bench.quota-caps", "0,50,1000").split(",")) {
      int pageCap = Integer.parseInt(cap.trim());
      runs.add(QuotaBenchmark.run("planned", pageCap, burst, Duration.ofMinutes(8)));
      if (reference) {
        runs.add(QuotaBenchmark.run("per-resource", pageCap, burst, Duration.ofMinutes(5)));
      }
    }
    StringBuilder ratios = new StringBuilder();
    for (int i = 0; reference && i < runs.size(); i += 2) {
      ratios.append(
          String.format(
              "%npage cap %s: planned %.1f %% of the bound, %.1f× the per-resource strategy",
              runs.get(i).pageCap() == 0 ? "none" : String.valueOf(runs.get(i).pageCap()),
              runs.get(i).ofBound() * 100,
              runs.get(i).steadyReadyPerWindow() / runs.get(i + 1).steadyReadyPerWindow()));
    }
    Benchmarks.report(
        "(b) throughput under the quota, time-compressed "
            + QuotaBenchmark.COMPRESSION
            + "x (window "
            + QuotaBenchmark.WINDOW.toSeconds()
            + " s, "
            + QuotaBenchmark.QUOTA
            + " calls)\n\n"
            + QuotaBenchmark.table(runs)
            + ratios);
  }

  /** (a) intake of a 10,000-request burst against pgbench's single-row insert ceiling. */
  @Test
  void intakeAgainstTheSingleRowInsertCeiling() throws Exception {
    int burst = Integer.getInteger("bench.burst", 10_000);
    Benchmarks.Intake intake = Benchmarks.intake(burst, Duration.ofSeconds(15));
    Benchmarks.Intake untraced = Benchmarks.intake(burst, Duration.ofSeconds(15), false);
    Benchmarks.report(
        String.format(
            "(a) intake of %,d requests: %.0f records/s; pgbench single-row inserts of the same"
                + " shape, same run: %.0f rows/s; ratio %.1f %%%n"
                + "(a) the same with tracing off: %.0f records/s; pgbench %.0f rows/s; ratio %.1f %%",
            intake.records(),
            intake.recordsPerSecond(),
            intake.pgbenchRowsPerSecond(),
            intake.ratio() * 100,
            untraced.recordsPerSecond(),
            untraced.pgbenchRowsPerSecond(),
            untraced.ratio() * 100));
  }

  /** (c) 10,000 in flight against none, same run. */
  @Test
  void tenThousandInFlight() throws Exception {
    Duration window = Duration.ofSeconds(Integer.getInteger("bench.window-seconds", 60));
    // a warm-up long enough for the JIT to have compiled the idle passes (they run a few times a
    // second): the CPU figure is the steady state, not the first minute after start
    Duration warmUp = Duration.ofSeconds(Integer.getInteger("bench.warm-up-seconds", 90));
    Benchmarks.InFlight none = Benchmarks.inFlight(0, warmUp, window);
    Benchmarks.InFlight many = Benchmarks.inFlight(IN_FLIGHT, warmUp, window);
    // what tracing costs when nothing happens to a request (the idle poller opens no span)
    Benchmarks.InFlight untraced = Benchmarks.inFlight(IN_FLIGHT, warmUp, window, false);
    Benchmarks.report("(c) in flight\n\n" + Benchmarks.inFlightTable(none, many, untraced));
  }

  /** (e) start to ready, median of {@code bench.starts} starts. */
  @Test
  void startToReady() throws Exception {
    Benchmarks.Startup startup = Benchmarks.startup(STARTS);
    Benchmarks.report(
        String.format(
            "(e) start to ready: median %d ms %s; Quarkus' own boot (\"started in\") median %d ms"
                + " %s; ready / boot %.2f",
            startup.medianReady(),
            startup.readyMillis(),
            startup.medianQuarkus(),
            startup.quarkusMillis(),
            startup.medianReady() / (double) startup.medianQuarkus()));
  }
}
