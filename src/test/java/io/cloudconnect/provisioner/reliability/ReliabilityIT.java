package io.cloudconnect.provisioner.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.emnify.simulator.SimulatorFaults;
import io.cloudconnect.emnify.simulator.SimulatorFaults.Rule;
import io.cloudconnect.emnify.simulator.SimulatorFaults.Verdict;
import io.cloudconnect.provisioner.reliability.Scenario.Invariants;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fault scenarios against the packaged service run as separate processes, with the real broker and
 * database and a stand-alone simulator. After each: every request has exactly one distinct outcome,
 * no request has two attachments, none is lost. Figures go to target/reliability/report.md.
 */
class ReliabilityIT {
  static final int REQUESTS = Integer.getInteger("reliability.requests", 300);
  static final Duration FINISH = Duration.ofMinutes(4);

  @Test
  void tenKillsMidRunLoseNothingAndDuplicateNothing() throws Exception {
    try (Scenario scenario = new Scenario("kill9", Duration.ofMillis(500))) {
      ServiceProcess service = scenario.startReplicas(1).get(0);
      Random random = new Random(42);
      List<Long> recoveries = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      int kills = 10;
      for (int k = 0; k < kills; k++) {
        // a new wave before each kill keeps requests in every phase: intake, create, poll, publish
        ids.addAll(scenario.publish(REQUESTS / kills, k));
        Thread.sleep(500 + random.nextInt(2000));
        service.kill();
        service.start();
        recoveries.add(service.awaitReady(Duration.ofSeconds(60)).toMillis());
      }
      // and a graceful stop under load: SIGTERM, then a new start takes over
      ids.addAll(scenario.publish(REQUESTS / kills, kills));
      Thread.sleep(1000);
      Duration exit = service.terminate(Duration.ofSeconds(30));
      service.start();
      recoveries.add(service.awaitReady(Duration.ofSeconds(60)).toMillis());
      Duration finish = scenario.awaitOutcomes(ids, FINISH);
      Invariants result = scenario.check(ids);

      scenario.report(
          "kill -9 x" + kills + ", one replica, restarted each time, then SIGTERM under load",
          result,
          String.format(
              "restart to ready %s ms (max %d); SIGTERM under load: exited in %.1f s; all outcomes %.1f s after the last restart; creates sent %d",
              recoveries,
              recoveries.stream().mapToLong(Long::longValue).max().orElse(0),
              exit.toMillis() / 1000.0,
              finish.toMillis() / 1000.0,
              scenario.simulator.requests("POST /cnc/breakout/vpn")));
      assertInvariants(result);
      assertThat(result.ready()).isEqualTo(ids.size());
      // within Kubernetes' default grace period (k8s/deployment.yaml: 30 s) before it sends SIGKILL
      assertThat(exit).isLessThan(Duration.ofSeconds(30));
    }
  }

  @Test
  void twoReplicasOneKilledTheOtherFinishes() throws Exception {
    try (Scenario scenario = new Scenario("replicas", Duration.ofMillis(300))) {
      ServiceProcess a = scenario.startReplicas(2).get(0);
      List<String> ids = scenario.publish(REQUESTS);
      Thread.sleep(2500);
      a.kill();
      Duration finish = scenario.awaitOutcomes(ids, FINISH);
      Invariants result = scenario.check(ids);

      scenario.report(
          "two replicas, one killed -9 after 2.5 s",
          result,
          String.format(
              "survivor finished %.1f s after the kill; creates sent %d",
              finish.toMillis() / 1000.0, scenario.simulator.requests("POST /cnc/breakout/vpn")));
      assertInvariants(result);
      assertThat(result.ready()).isEqualTo(REQUESTS);
    }
  }

  @Test
  void faultsOnEveryEndpointLostCreatesAndAnOutageDelayButDoNotDuplicate() throws Exception {
    try (Scenario scenario = new Scenario("faults", Duration.ofMillis(300))) {
      ServiceProcess service = scenario.startReplicas(1).get(0);
      SimulatorFaults faults = scenario.simulator.faults();
      faults.everywhere(new Rule(0.30, 0.05, 0.05, 0, Duration.ofMillis(20)));
      faults.on("POST /cnc/breakout/vpn", new Rule(0.20, 0.05, 0.05, 0.20, Duration.ofMillis(20)));
      // new attachments show up in the list a second late (less than the 3 s grace, as it must be)
      faults.listDelay(Duration.ofSeconds(1));
      List<String> ids = scenario.publish(REQUESTS);
      Thread.sleep(15000);
      faults.outageFor(
          Duration.ofSeconds(6)); // 60 s at emnify's pace, scaled like every timing here
      Thread.sleep(6000);
      String breakers = service.metric("ft_circuitbreaker_opened_total");
      Thread.sleep(15000);
      faults.clear();
      Duration finish = scenario.awaitOutcomes(ids, FINISH);
      Invariants result = scenario.check(ids);

      scenario.report(
          "30% 5xx, 5% no answer, 5% resets everywhere; 20% lost create responses; list 1 s late; 6 s outage after 15 s; faults end 15 s later",
          result,
          String.format(
              "faults injected %s; breakers opened: %s; all outcomes %.1f s after faults stopped; creates sent %d",
              faults.injectedCounts(),
              breakers,
              finish.toMillis() / 1000.0,
              scenario.simulator.requests("POST /cnc/breakout/vpn")));
      assertInvariants(result);
      assertThat(result.ready()).isEqualTo(REQUESTS);
      assertThat(faults.injected(Verdict.LOSE_CREATE_RESPONSE)).isPositive();
    }
  }

  @Test
  void burstFarAboveTheBudgetCausesNo429Storm() throws Exception {
    int burst = 150;
    try (Scenario scenario = new Scenario("ratelimit", Duration.ofMillis(300))) {
      // emnify's limits scaled from 5 minutes to 20 s: 150 calls and 10 authentications per window
      scenario.simulator.faults().rateLimits(true, Duration.ofSeconds(20), 150, 10);
      scenario
          .with("cloudconnect.budget.window", "20s")
          .with("cloudconnect.budget.api.per-window", "125")
          .with("cloudconnect.budget.api.burst", "15")
          .with("cloudconnect.budget.authentication.per-window", "5")
          .with("cloudconnect.budget.authentication.burst", "2")
          .with("cloudconnect.poll-interval", "1s");
      scenario.startReplicas(2);
      List<String> ids = scenario.publish(burst);
      Duration finish = scenario.awaitOutcomes(ids, FINISH);
      Invariants result = scenario.check(ids);
      long throttled = scenario.simulator.faults().injected(Verdict.THROTTLE);
      long calls =
          scenario.simulator.requestCounts().values().stream().mapToLong(Long::longValue).sum();

      scenario.report(
          "burst of "
              + burst
              + " requests on two replicas; emnify limit 150 calls / 20 s, shared budget 140",
          result,
          String.format(
              "429s sent by emnify: %d of %d calls; all outcomes after %.1f s (%.1f calls/s, limit 7.5)",
              throttled, calls, finish.toMillis() / 1000.0, calls / (finish.toMillis() / 1000.0)));
      assertInvariants(result);
      assertThat(result.ready()).isEqualTo(burst);
      assertThat(throttled).as("429s").isLessThanOrEqualTo(2);
    }
  }

  @Test
  void brokerAndDatabaseRestartsAreRiddenOutWithoutRestartingTheService() throws Exception {
    // the database that is stopped is a cluster of the scenario's own, never the machine's
    try (OwnPostgres database = OwnPostgres.create("restarts", 15432);
        Scenario scenario = new Scenario("restarts", Duration.ofMillis(500), database.database())) {
      ServiceProcess service = scenario.startReplicas(1).get(0);
      List<String> ids = new ArrayList<>(scenario.publish(REQUESTS / 2, 0));
      Thread.sleep(1500);

      Infrastructure.kafka("stop");
      Thread.sleep(5000);
      Infrastructure.kafka("start");
      long kafkaBack = System.nanoTime();
      ids.addAll(scenario.publish(REQUESTS / 4, 1));

      database.stop();
      long dbDown = System.nanoTime();
      Duration readinessDown;
      try {
        readinessDown = awaitReadiness(service, 503, Duration.ofSeconds(30));
        Thread.sleep(5000);
      } finally {
        database.start();
      }
      long dbBack = System.nanoTime();
      Duration readyAgain = awaitReadiness(service, 200, Duration.ofSeconds(60));
      ids.addAll(scenario.publish(REQUESTS / 4, 2));
      Duration finish = scenario.awaitOutcomes(ids, FINISH);
      Invariants result = scenario.check(ids);

      scenario.report(
          "Kafka broker stopped 5 s, then PostgreSQL stopped 5 s, service not restarted",
          result,
          String.format(
              "readiness 503 %.1f s after the database stopped, 200 again %.1f s after it was back; all outcomes %.1f s after the broker returned; service starts: %d",
              readinessDown.toMillis() / 1000.0,
              readyAgain.toMillis() / 1000.0,
              (System.nanoTime() - kafkaBack) / 1e9,
              service.starts()));
      assertInvariants(result);
      assertThat(result.ready()).isEqualTo(ids.size());
      assertThat(service.alive()).isTrue();
      assertThat(service.starts()).isEqualTo(1);
      assertThat(dbBack).isGreaterThan(dbDown);
    }
  }

  private static Duration awaitReadiness(ServiceProcess service, int status, Duration timeout)
      throws InterruptedException {
    long start = System.nanoTime();
    while (System.nanoTime() - start < timeout.toNanos()) {
      if (service.readiness() == status) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("readiness never answered " + status + " within " + timeout);
  }

  private static void assertInvariants(Invariants result) {
    assertThat(result.lost()).as("requests without an outcome").isZero();
    assertThat(result.conflictingOutcomes()).as("requests with two different outcomes").isZero();
    assertThat(result.duplicateAttachments()).as("requests with two attachments").isZero();
  }
}
