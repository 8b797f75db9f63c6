package io.cloudconnect.provisioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Keeps the benchmarks runnable in {@code .ci/run}: each at a tiny size, asserting that it ran and
 * provisioned cleanly, never how fast (figures come from {@code scripts/bench.sh}).
 */
class BenchmarksSmokeIT {

  @Test
  void observationBenchmarkRuns() throws Exception {
    java.time.Duration quiet = java.time.Duration.ofSeconds(3);
    Benchmarks.Observation none = Benchmarks.observation(0, 2, false, quiet);
    Benchmarks.Observation some = Benchmarks.observation(200, 2, false, quiet);
    Benchmarks.report("smoke (d):\n" + Benchmarks.observationTable(none, some));
    assertThat(some.requests()).isEqualTo(2);
    assertThat(some.detailReads()).isPositive();
  }

  @Test
  void inFlightBenchmarkRuns() throws Exception {
    Benchmarks.InFlight none =
        Benchmarks.inFlight(0, java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(2));
    Benchmarks.InFlight some =
        Benchmarks.inFlight(50, java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(2));
    Benchmarks.report("smoke (c):\n" + Benchmarks.inFlightTable(none, some));
    assertThat(some.rssMiB()).isPositive();
    assertThat(some.heapAfterGcMiB()).isPositive();
  }

  @Test
  void intakeBenchmarkRuns() throws Exception {
    Benchmarks.Intake intake = Benchmarks.intake(50, java.time.Duration.ofSeconds(2));
    Benchmarks.report(
        String.format(
            "smoke (a): %.0f records/s, pgbench %.0f rows/s",
            intake.recordsPerSecond(), intake.pgbenchRowsPerSecond()));
    assertThat(intake.pgbenchRowsPerSecond()).isPositive();
  }

  @Test
  void quotaBenchmarkRuns() throws Exception {
    QuotaBenchmark.Run run = QuotaBenchmark.run("planned", 50, 12, java.time.Duration.ofMinutes(2));
    Benchmarks.report("smoke (b):\n" + QuotaBenchmark.table(java.util.List.of(run)));
    assertThat(run.ready()).isEqualTo(12);
    assertThat(run.creates()).isEqualTo(12);
  }

  @Test
  void startupBenchmarkRuns() throws Exception {
    Benchmarks.Startup startup = Benchmarks.startup(1);
    Benchmarks.report(
        "smoke (e): start to ready "
            + startup.readyMillis()
            + " ms, Quarkus boot "
            + startup.quarkusMillis()
            + " ms");
    assertThat(startup.quarkusMillis()).allMatch(ms -> ms > 0);
  }
}
