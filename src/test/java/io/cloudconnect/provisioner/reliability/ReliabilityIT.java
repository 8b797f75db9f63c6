package io.cloudconnect.provisioner.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.emnify.simulator.SimulatorFaults;
import io.cloudconnect.emnify.simulator.SimulatorFaults.Rule;
import io.cloudconnect.emnify.simulator.SimulatorFaults.Verdict;
import io.cloudconnect.provisioner.reliability.Scenario.Invariants;
import io.cloudconnect.provisioner.saga.Marker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Fault scenarios against the packaged service run as separate processes, with the real broker and
 * database and a stand-alone simulator. After each: every request has exactly one distinct outcome,
 * no request has two attachments, none is lost. Figures go to target/reliability/report.md.
 */
class ReliabilityIT {
  static final int REQUESTS = Integer.getInteger("reliability.requests", 300);
  static final Duration FINISH = Duration.ofMinutes(4);
  static final String CREATE = "POST /cnc/breakout/vpn";

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
      // within Kubernetes' default grace period (k8s/base/deployment.yaml: 30 s) before it sends
      // SIGKILL
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
      faults.everywhere(
          Rule.NONE.errors(0.30).drops(0.05).resets(0.05).latency(Duration.ofMillis(20)));
      faults.on(
          "POST /cnc/breakout/vpn",
          Rule.NONE
              .errors(0.20)
              .drops(0.05)
              .resets(0.05)
              .lostCreates(0.20)
              .latency(Duration.ofMillis(20)));
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
          .with("cloudconnect.budget.api.reserve", "3")
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

  /**
   * 30 % of creates hang past the client's timeout before the connection drops (half of them
   * created at emnify all the same), 20 % answer 5xx. Every request must still end READY, with one
   * attachment: hung lanes hold up only themselves, and no claim expires unsent.
   */
  @Test
  void hangingAndFailingCreatesStillEndReadyWithOneAttachmentEach() throws Exception {
    int count = REQUESTS / 2;
    try (Scenario scenario = new Scenario("hangs", Duration.ofMillis(300))) {
      ServiceProcess service = scenario.startReplicas(1).get(0);
      SimulatorFaults faults = scenario.simulator.faults();
      // 30 s at emnify against a 30 s timeout, scaled like every timing here: 3 s against 2 s
      faults.hang(CREATE, 0.30, Duration.ofSeconds(3));
      faults.on(CREATE, Rule.NONE.errors(0.20));
      faults.listDelay(Duration.ofSeconds(1));
      List<String> ids = scenario.publish(count);
      Thread.sleep(20000);
      faults.clear();
      Duration finish = scenario.awaitOutcomes(ids, FINISH);
      Invariants result = scenario.check(ids);

      scenario.report(
          "30% of creates hang 3 s (timeout 2 s; half created all the same), 20% 5xx, list 1 s"
              + " late, for 20 s; 4 create lanes",
          result,
          String.format(
              "faults injected %s; all outcomes %.1f s after faults stopped; creates sent %d",
              faults.injectedCounts(),
              finish.toMillis() / 1000.0,
              scenario.simulator.requests(CREATE)));
      assertInvariants(result);
      assertThat(result.ready()).as("READY, none TIMED_OUT").isEqualTo(count);
      assertThat(faults.injected(Verdict.HANG)).isPositive();
      assertThat(service.alive()).isTrue();
    }
  }

  /**
   * The application token is revoked mid-run for 8 s (at emnify's pace, 80 s): three refusals lock
   * the account, the lock-out is waited out, creates wait, and every request still ends READY once
   * the token is valid again (none UNAUTHORIZED).
   */
  @Test
  void authenticationLockOutMidRunDefersCreatesAndNothingFails() throws Exception {
    int count = REQUESTS / 3;
    try (Scenario scenario =
        new Scenario(
            "lockout",
            Duration.ofMillis(300),
            Database.machine(),
            options -> options.withLockout(Duration.ofSeconds(3)))) {
      scenario
          .with("emnify.auth-failure-backoff", "1s")
          .with("emnify.auth-lockout", "4s")
          .with("cloudconnect.creation.unauthorized-after", "2m");
      ServiceProcess service = scenario.startReplicas(1).get(0);
      List<String> ids = new ArrayList<>(scenario.publish(count / 2, 0));
      Thread.sleep(1500);
      scenario.simulator.revokeApplicationToken(true);
      scenario.simulator.expireAllTokens();
      ids.addAll(scenario.publish(count - count / 2, 1));
      Thread.sleep(8000);
      String refusals = service.metric("cloudconnect_authentication_refusals_total");
      long asked = scenario.simulator.requests("POST /authenticate");
      scenario.simulator.revokeApplicationToken(false);
      Duration finish = scenario.awaitOutcomes(ids, FINISH);
      Invariants result = scenario.check(ids);

      scenario.report(
          "application token revoked for 8 s mid-run (emnify locks out after 3 refusals, 3 s);"
              + " holds 1 s / 4 s",
          result,
          String.format(
              "authentications sent while refused: %d; refusals counted: %s; all outcomes %.1f s"
                  + " after the token was valid again",
              asked, refusals, finish.toMillis() / 1000.0));
      assertInvariants(result);
      assertThat(result.ready()).as("READY, none UNAUTHORIZED").isEqualTo(ids.size());
      assertThat(refusals).contains("lockout=\"true\"");
      // one attempt per hold at most: 8 s with holds of 1 s, and 4 s after the lock-out
      assertThat(asked).isLessThan(12);
    }
  }

  /**
   * A Master organisation's token, whose unfiltered list shows only its child organisation's
   * attachments, several of them carrying markers of this run's requests (look alikes); 20 % of
   * create answers are lost. Each request must get its own attachment, never a child's, and never
   * two.
   */
  @Test
  void masterOrganisationTokenNeverAdoptsAChildsAttachmentNorDuplicates() throws Exception {
    int count = REQUESTS / 3;
    try (Scenario scenario = new Scenario("master", Duration.ofMillis(300))) {
      List<String> lookAlikes = new ArrayList<>();
      for (int i = 0; i < count; i += 3) {
        lookAlikes.add("child site " + Marker.of(Scenario.NAMESPACE, scenario.requestId(0, i)));
      }
      List<Long> children = scenario.simulator.masterWithChildAttachments(99, lookAlikes);
      scenario.simulator.faults().on(CREATE, Rule.NONE.lostCreates(0.20));
      scenario.startReplicas(1);
      List<String> ids = scenario.publish(count, 0);
      Duration finish = scenario.awaitOutcomes(ids, FINISH);
      Invariants result = scenario.check(ids);
      Set<Long> adopted = scenario.readyAttachmentIds(ids);

      scenario.report(
          "Master-organisation token; its child organisation holds "
              + children.size()
              + " attachments carrying this run's markers; 20% of create answers lost",
          result,
          String.format(
              "child attachments adopted: %d; lists sent %d (each filtered by organisation);"
                  + " all outcomes %.1f s",
              adopted.stream().filter(children::contains).count(),
              scenario.simulator.requests("GET /cnc/breakout"),
              finish.toMillis() / 1000.0));
      assertInvariants(result);
      assertThat(result.ready()).isEqualTo(count);
      assertThat(adopted).doesNotContainAnyElementsOf(children);
    }
  }

  /**
   * PostgreSQL (the scenario's own cluster) down for 75 s, longer than the 60 s after which the
   * Kafka channel fails when its "unprocessed record max age" check is on (the connector's default;
   * this service turns it off). Intake waits and resumes by itself; liveness stays UP throughout,
   * readiness is DOWN meanwhile, the service is never restarted.
   */
  @Test
  void databaseDownLongerThanTheChannelsMaxAgeIsWaitedOutWithoutARestart() throws Exception {
    Duration outage = Duration.ofSeconds(75);
    try (OwnPostgres database = OwnPostgres.create("outage", 15433);
        Scenario scenario = new Scenario("outage", Duration.ofMillis(300), database.database())) {
      ServiceProcess service = scenario.startReplicas(1).get(0);
      List<String> ids = new ArrayList<>(scenario.publish(REQUESTS / 6, 0));
      Thread.sleep(1500);
      database.stop();
      int livenessDown = 0;
      Duration readinessDown;
      try {
        readinessDown = awaitReadiness(service, 503, Duration.ofSeconds(30));
        ids.addAll(scenario.publish(REQUESTS / 6, 1)); // published while the database is down
        long until = System.nanoTime() + outage.toNanos();
        while (System.nanoTime() < until) {
          livenessDown += service.liveness() == 200 ? 0 : 1;
          Thread.sleep(1000);
        }
      } finally {
        database.start();
      }
      Duration readyAgain = awaitReadiness(service, 200, Duration.ofSeconds(60));
      Duration finish = scenario.awaitOutcomes(ids, FINISH);
      Invariants result = scenario.check(ids);

      scenario.report(
          "PostgreSQL stopped 75 s (the channel's default max age: 60 s), requests published"
              + " meanwhile",
          result,
          String.format(
              "liveness checks not UP during the outage: %d of %d; readiness 503 after %.1f s,"
                  + " 200 again %.1f s after the database was back; all outcomes %.1f s later;"
                  + " service starts: %d",
              livenessDown,
              outage.toSeconds(),
              readinessDown.toMillis() / 1000.0,
              readyAgain.toMillis() / 1000.0,
              finish.toMillis() / 1000.0,
              service.starts()));
      assertInvariants(result);
      assertThat(result.ready()).isEqualTo(ids.size());
      assertThat(livenessDown).isZero();
      assertThat(service.alive()).isTrue();
      assertThat(service.starts()).isEqualTo(1);
    }
  }

  /**
   * Two replicas whose own clocks differ by 5 s (more than the 3 s leases), with creates that hang
   * or lose their answer so that leases run out and are taken over. On one clock (PostgreSQL's) no
   * request is sent twice while its claim holds.
   */
  @Test
  void twoReplicasWithSkewedClocksNeverCreateTwice() throws Exception {
    int count = REQUESTS / 2;
    try (Scenario scenario = new Scenario("skew", Duration.ofMillis(300))) {
      SimulatorFaults faults = scenario.simulator.faults();
      faults.hang(CREATE, 0.10, Duration.ofSeconds(3));
      faults.on(CREATE, Rule.NONE.lostCreates(0.10));
      // a replica's settings are fixed when it is made
      ServiceProcess ahead =
          scenario.with("cloudconnect.clock.drill-skew", "5s").replica("a", 18181);
      ServiceProcess behind =
          scenario.with("cloudconnect.clock.drill-skew", "0s").replica("b", 18182);
      ahead.start();
      behind.start();
      ahead.awaitReady(Duration.ofSeconds(60));
      behind.awaitReady(Duration.ofSeconds(60));
      List<String> ids = scenario.publish(count);
      Thread.sleep(15000);
      faults.clear();
      Duration finish = scenario.awaitOutcomes(ids, FINISH);
      Invariants result = scenario.check(ids);

      scenario.report(
          "two replicas, one clock 5 s ahead (leases 3 s); 10% of creates hang, 10% lose their"
              + " answer, for 15 s",
          result,
          String.format(
              "measured offsets to PostgreSQL: ahead %s, behind %s; creates sent %d; all outcomes"
                  + " %.1f s after faults stopped",
              ahead.metric("cloudconnect_clock_offset_seconds"),
              behind.metric("cloudconnect_clock_offset_seconds"),
              scenario.simulator.requests(CREATE),
              finish.toMillis() / 1000.0));
      assertInvariants(result);
      assertThat(result.ready()).isEqualTo(count);
    }
  }

  /**
   * What the delete scenario makes of its i-th create: a third stuck at emnify (they time out and
   * are compensated), a tenth of the others rolled back by emnify, every sixth (none of them stuck,
   * in flight or ready by then) deleted by a request of its own; the rest must end READY.
   */
  record Fate(boolean stuck, boolean rollsBack, boolean deleted) {
    static Fate of(int i) {
      boolean stuck = i % 3 == 1;
      return new Fate(stuck, !stuck && i % 10 == 2, i % 6 == 0);
    }

    String siteName() {
      return stuck ? "site [sim:stuck]" : rollsBack ? "site [sim:rollback]" : "site";
    }

    boolean healthy() {
      return !stuck && !rollsBack && !deleted;
    }
  }

  private static Duration awaitReadiness(ServiceProcess service, int status, Duration timeout) {
    long start = System.nanoTime();
    try {
      Awaitility.await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> service.readiness() == status);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("readiness never answered " + status + " within " + timeout, e);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * Deletes and compensation under kill -9, two replicas and injected faults. A third of the
   * creates stays pending (times out and is compensated), a tenth rolls back, and delete requests
   * follow a third of the rest, some while their create is still in flight. At the end every
   * request has exactly one outcome, and nothing of a failed or deleted request exists at emnify:
   * compensation and the orphan sweep (lost create responses leave duplicates behind) removed it
   * all.
   */
  @Test
  void deletesAndCompensationUnderKillsAndFaultsLeaveNoOrphan() throws Exception {
    try (Scenario scenario = new Scenario("lifecycle", Duration.ofMillis(300))) {
      scenario
          // stuck ones time out; healthy ones, observed one by one under the burst, must not
          .with("cloudconnect.provisioning-timeout", "30s")
          // 30 min in production; a create burst under faults and a kill -9 slows observation
          // (one removal can take 20 s and more here): long enough that every delete is confirmed
          .with("cloudconnect.compensation.timeout", "60s")
          .with("cloudconnect.sweep.first-after", "5s")
          .with("cloudconnect.sweep.interval", "5s")
          .with("cloudconnect.sweep.lease", "4s");
      List<ServiceProcess> replicas = scenario.startReplicas(2);
      SimulatorFaults faults = scenario.simulator.faults();
      faults.everywhere(
          Rule.NONE.errors(0.10).drops(0.02).resets(0.02).latency(Duration.ofMillis(20)));
      faults.on(
          CREATE,
          Rule.NONE
              .errors(0.05)
              .drops(0.02)
              .resets(0.02)
              .lostCreates(0.15)
              .latency(Duration.ofMillis(20)));
      int count = 150;
      List<String> creates = scenario.publishNamed(count, 0, i -> Fate.of(i).siteName());
      List<String> targets = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        if (Fate.of(i).deleted()) {
          targets.add(creates.get(i));
        }
      }
      Thread.sleep(800);
      List<String> early = scenario.publishDeletes(targets.subList(0, targets.size() / 2));
      Thread.sleep(2000);
      replicas.get(0).kill();
      List<String> late =
          scenario.publishDeletes(targets.subList(targets.size() / 2, targets.size()));
      replicas.get(0).start();
      replicas.get(0).awaitReady(Duration.ofSeconds(60));
      List<String> deletes = new ArrayList<>(early);
      deletes.addAll(late);
      List<String> all = new ArrayList<>(creates);
      all.addAll(deletes);
      Duration finish = scenario.awaitOutcomes(all, FINISH);
      faults.clear();
      Invariants result = scenario.check(all);

      // what must be gone: every failed create's and every deleted request's attachment
      List<String> gone = new ArrayList<>(targets);
      for (String rid : creates) {
        if ("cloudconnect.attachment.failed".equals(scenario.outcomeType(rid))) {
          gone.add(rid);
        }
      }
      long start = System.nanoTime();
      try {
        Awaitility.await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> scenario.leftBehind(gone).isEmpty());
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("left behind: " + scenario.describe(scenario.leftBehind(gone)), e);
      }
      Duration clean = Duration.ofNanos(System.nanoTime() - start);
      List<Long> orphans = scenario.leftBehind(gone);
      long deleted =
          deletes.stream()
              .filter(d -> "cloudconnect.attachment.deleted".equals(scenario.outcomeType(d)))
              .count();
      // neither stuck, nor rolled back, nor deleted: these must end READY, whatever else went on
      List<String> healthy = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        if (Fate.of(i).healthy()) {
          healthy.add(creates.get(i));
        }
      }
      long healthyReady =
          healthy.stream()
              .filter(rid -> "cloudconnect.attachment.ready".equals(scenario.outcomeType(rid)))
              .count();

      scenario.report(
          "delete and compensation: 150 creates (1/3 stuck -> time out, 1/10 roll back), deletes for 25 of the rest (half at once, half after a kill -9), two replicas, 10% 5xx, 15% lost create responses",
          result,
          String.format(
              "deletes answered deleted %d of %d; healthy creates READY %d of %d; failed creates %d; orphans left %d (%.1f s after the last outcome); creates sent %d, deletes sent %d; faults %s",
              deleted,
              deletes.size(),
              healthyReady,
              healthy.size(),
              gone.size() - targets.size(),
              orphans.size(),
              clean.toMillis() / 1000.0,
              scenario.simulator.requests(CREATE),
              scenario.simulator.requests("DELETE /cnc/breakout/{id}"),
              faults.injectedCounts()));
      assertInvariants(result);
      assertThat(orphans).as("attachments of failed or deleted requests").isEmpty();
      assertThat(deleted).isEqualTo(deletes.size());
      assertThat(healthyReady).as("healthy creates READY").isEqualTo(healthy.size());
    }
  }

  private static void assertInvariants(Invariants result) {
    assertThat(result.lost()).as("requests without an outcome").isZero();
    assertThat(result.conflictingOutcomes()).as("requests with two different outcomes").isZero();
    assertThat(result.duplicateAttachments()).as("requests with two attachments").isZero();
  }
}
