package io.cloudconnect.provisioner.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.emnify.simulator.SimulatorFaults;
import io.cloudconnect.emnify.simulator.SimulatorFaults.Rule;
import io.cloudconnect.provisioner.reliability.Scenario.Invariants;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The soak: two replicas of the packaged service for {@code soak.minutes} (3 in {@code .ci/run};
 * {@code scripts/soak.sh} runs 30 or more), requests arriving in waves, and one disruption after
 * another: a kill -9, lists and reads that hang, lost create answers with 5xx and resets, 429
 * bursts, an authentication lock-out, a PostgreSQL restart, a broker restart, a kill -9 of the
 * other replica. emnify's list answers as documented (unpaged) with 2,000 other attachments. It
 * asserts every request's outcome within its deadline plus the graces, none lost, none with two
 * outcomes, no duplicate and no orphaned attachment, no background job silent on a live replica
 * (the wellness check "jobs", liveness never failing), and no upward trend in the never-killed
 * replica's RSS and heap after GC. Figures go to target/reliability/report.md.
 */
class SoakIT {
  static final Duration LENGTH = Duration.ofMinutes(Long.getLong("soak.minutes", 3));
  static final int WAVE = Integer.getInteger("soak.wave", 20);
  static final int DISRUPTIONS = 8;
  static final String CREATE = "POST /cnc/breakout/vpn";
  static final Duration SAMPLE_EVERY = Duration.ofSeconds(2);
  static final Duration MEMORY_EVERY = Duration.ofSeconds(20);
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** A request's deadline: long enough to ride out every disruption, short enough to matter. */
  static final Duration DEADLINE =
      LENGTH.dividedBy(5).compareTo(Duration.ofMinutes(2)) > 0
          ? LENGTH.dividedBy(5)
          : Duration.ofMinutes(2);

  /**
   * The graces after the deadline: the ambiguous-create grace, a lease, a poll, a relay pass, and
   * the outbox claim of a replica killed while publishing (the scenarios' 6 s, Scenario).
   */
  static final Duration GRACES = Duration.ofSeconds(3 + 3 + 1 + 1 + 6).plusSeconds(10);

  @Test
  void twoReplicasRideOutEveryDisruptionAndNothingIsLostDuplicatedOrSilent() throws Exception {
    try (OwnPostgres database = OwnPostgres.create("soak", 15433);
        Scenario scenario =
            new Scenario(
                "soak",
                Duration.ofMillis(500),
                database.database(),
                options -> options.withLockout(Duration.ofSeconds(3)))) {
      scenario
          .with("cloudconnect.provisioning-timeout", DEADLINE.toSeconds() + "s")
          .with("cloudconnect.creation.max-submit-age", DEADLINE.toSeconds() + "s")
          .with("emnify.auth-failure-backoff", "1s")
          .with("emnify.auth-lockout", "4s")
          .with("emnify.list-page-size", "100");
      SimulatorFaults faults = scenario.simulator.faults();
      scenario.simulator.seedActiveAttachments(2000);
      List<ServiceProcess> replicas = scenario.startReplicas(2);
      ServiceProcess a = replicas.get(0);
      ServiceProcess steady = replicas.get(1);
      Sampler sampler = new Sampler(replicas, steady);
      sampler.start();

      Map<String, Long> publishedAt = new ConcurrentHashMap<>();
      List<String> ids = new ArrayList<>();
      List<String> done = new ArrayList<>();
      Duration round = LENGTH.dividedBy(DISRUPTIONS);
      Duration disruption = min(round.dividedBy(2), Duration.ofSeconds(20));
      long start = System.nanoTime();
      // whole rounds only: the run ends when the next round would outlast its length
      for (int r = 0;
          System.nanoTime() - start + round.toNanos() <= LENGTH.toNanos() + 1_000_000_000L;
          r++) {
        long roundStart = System.nanoTime();
        long at = System.currentTimeMillis();
        List<String> wave = scenario.publish(WAVE, r);
        wave.forEach(id -> publishedAt.put(id, at));
        ids.addAll(wave);
        done.add(disrupt(r % DISRUPTIONS, scenario, faults, database, a, disruption));
        sleepUntil(roundStart + round.toNanos());
      }
      faults.clear();
      faults.rateLimits(false, Duration.ofMinutes(5), 2000, 100);
      scenario.simulator.revokeApplicationToken(false);
      Duration finish = scenario.awaitOutcomes(ids, DEADLINE.plus(GRACES));
      sampler.stop();
      Invariants result = scenario.check(ids);
      List<Long> orphans =
          scenario.leftBehind(ids.stream().filter(id -> !isReady(scenario, id)).toList());
      Duration slowest = slowestOutcome(scenario, ids, publishedAt);

      scenario.report(
          "soak "
              + LENGTH.toMinutes()
              + " min, 2 replicas, documented list with 2,000 others: "
              + String.join(", ", done),
          result,
          String.format(
              "slowest outcome %.1f s after its request (deadline %s + graces %s); all outcomes"
                  + " %.1f s after the last disruption; orphans %d; creates sent %d; jobs"
                  + " silent (wellness DOWN) %d of %d samples, liveness failed %d; longest"
                  + " silence per job %s; steady replica RSS MiB %s, heap after GC MiB %s",
              slowest.toMillis() / 1000.0,
              DEADLINE,
              GRACES,
              finish.toMillis() / 1000.0,
              orphans.size(),
              scenario.simulator.requests(CREATE),
              sampler.jobsDown(),
              sampler.samples(),
              sampler.livenessFailed(),
              sampler.longestSilence(),
              sampler.rss(),
              sampler.heap()));

      assertThat(result.lost()).as("lost").isZero();
      assertThat(result.conflictingOutcomes()).as("two outcomes").isZero();
      assertThat(result.duplicateAttachments()).as("duplicate attachments").isZero();
      assertThat(orphans).as("attachments left behind by requests not ready").isEmpty();
      assertThat(result.ready()).as("READY (none timed out)").isEqualTo(ids.size());
      assertThat(slowest).isLessThanOrEqualTo(DEADLINE.plus(GRACES));
      assertThat(sampler.samples()).isPositive();
      assertThat(sampler.jobsDown()).as("samples with a silent job").isZero();
      assertThat(sampler.livenessFailed()).as("samples with liveness DOWN").isZero();
      assertThat(steady.alive()).isTrue();
      assertNoUpwardTrend("RSS", sampler.rss(), 0.15, 24);
      assertNoUpwardTrend("heap after GC", sampler.heap(), 0.5, 8);
    }
  }

  /** Disruption {@code n} of the cycle; returns what it did, for the report. */
  private static String disrupt(
      int n,
      Scenario scenario,
      SimulatorFaults faults,
      OwnPostgres database,
      ServiceProcess a,
      Duration length)
      throws Exception {
    switch (n) {
      case 0 -> {
        a.kill();
        a.start();
        a.awaitReady(Duration.ofSeconds(60));
        return "kill -9 of a";
      }
      case 1 -> {
        faults.hang("GET /cnc/breakout", 0.3, Duration.ofSeconds(3));
        faults.hang("GET /cnc/breakout/{id}", 0.3, Duration.ofSeconds(3));
        Thread.sleep(length.toMillis());
        faults.clear();
        return "lists and reads hang";
      }
      case 2 -> {
        faults.everywhere(
            Rule.NONE.errors(0.20).drops(0.05).resets(0.05).latency(Duration.ofMillis(20)));
        faults.on(
            CREATE,
            Rule.NONE
                .errors(0.20)
                .drops(0.05)
                .resets(0.05)
                .lostCreates(0.20)
                .latency(Duration.ofMillis(20)));
        Thread.sleep(length.toMillis());
        faults.clear();
        return "5xx, resets, lost create answers";
      }
      case 3 -> {
        // emnify's own limit far below the service's budget: 429s, without Retry-After (DOC-RATE)
        faults.rateLimits(true, Duration.ofSeconds(10), 40, 10);
        Thread.sleep(length.toMillis());
        faults.rateLimits(false, Duration.ofMinutes(5), 2000, 100);
        return "429 bursts";
      }
      case 4 -> {
        scenario.simulator.revokeApplicationToken(true);
        scenario.simulator.expireAllTokens();
        Thread.sleep(length.toMillis());
        scenario.simulator.revokeApplicationToken(false);
        return "authentication lock-out";
      }
      case 5 -> {
        database.stop();
        try {
          Thread.sleep(Math.min(5000, length.toMillis()));
        } finally {
          database.start();
        }
        return "PostgreSQL restart";
      }
      case 6 -> {
        Infrastructure.kafka("stop");
        try {
          Thread.sleep(Math.min(5000, length.toMillis()));
        } finally {
          Infrastructure.kafka("start");
        }
        return "broker restart";
      }
      default -> {
        a.kill();
        Thread.sleep(Math.min(5000, length.toMillis()));
        a.start();
        a.awaitReady(Duration.ofSeconds(60));
        return "kill -9 of a, down 5 s";
      }
    }
  }

  private static boolean isReady(Scenario scenario, String id) {
    String type = scenario.outcomeType(id);
    return type != null && type.endsWith("ready");
  }

  /** The longest time from a request's publication to its (first) outcome event. */
  private static Duration slowestOutcome(
      Scenario scenario, List<String> ids, Map<String, Long> publishedAt) {
    long slowest = 0;
    for (String id : ids) {
      List<ConsumerRecord<byte[], byte[]>> outcomes = scenario.watcher.records(scenario.events, id);
      if (!outcomes.isEmpty()) {
        slowest = Math.max(slowest, outcomes.get(0).timestamp() - publishedAt.get(id));
      }
    }
    return Duration.ofMillis(slowest);
  }

  /**
   * The last third's highest sample may exceed the middle third's by at most {@code share} plus
   * {@code slackMiB}: the first third is the JVM warming up (classes, JIT, pools), not a trend.
   */
  private static void assertNoUpwardTrend(
      String what, List<Long> samples, double share, long slackMiB) {
    assertThat(samples).as(what + " samples").hasSizeGreaterThanOrEqualTo(3);
    int third = samples.size() / 3;
    long middle =
        samples.subList(third, 2 * third).stream().mapToLong(Long::longValue).max().orElse(0);
    long last =
        samples.subList(2 * third, samples.size()).stream()
            .mapToLong(Long::longValue)
            .max()
            .orElse(0);
    assertThat(last)
        .as("%s: last third's peak against the middle third's (%s)", what, samples)
        .isLessThanOrEqualTo((long) (middle * (1 + share)) + slackMiB);
  }

  private static Duration min(Duration x, Duration y) {
    return x.compareTo(y) <= 0 ? x : y;
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000);
    }
  }

  /**
   * Samples every 2 s each live replica's wellness ("jobs"), liveness and job silences, and every
   * 20 s the steady replica's RSS and heap after a full collection.
   */
  private static final class Sampler {
    private static final Pattern SILENCE =
        Pattern.compile(
            "(?m)^cloudconnect_job_since_last_pass_seconds\\{[^}]*job_name=\"([^\"]+)\"[^}]*\\}"
                + " ([0-9.eE+-]+)");
    private final List<ServiceProcess> replicas;
    private final ServiceProcess steady;
    private final Map<String, Double> longest = new ConcurrentHashMap<>();
    private final List<Long> rss = new CopyOnWriteArrayList<>();
    private final List<Long> heap = new CopyOnWriteArrayList<>();
    private volatile int samples;
    private volatile int jobsDown;
    private volatile int livenessFailed;
    private volatile boolean stopped;
    private Thread thread;

    Sampler(List<ServiceProcess> replicas, ServiceProcess steady) {
      this.replicas = replicas;
      this.steady = steady;
    }

    void start() {
      thread = new Thread(this::run, "soak-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      stopped = true;
      thread.join(30_000);
    }

    private void run() {
      long nextMemory = System.nanoTime();
      while (!stopped) {
        for (ServiceProcess replica : replicas) {
          sample(replica);
        }
        if (System.nanoTime() >= nextMemory) {
          nextMemory = System.nanoTime() + MEMORY_EVERY.toNanos();
          try {
            rss.add(ProcessMemory.rssKiB(steady.pid()) / 1024);
            heap.add(ProcessMemory.heapAfterGcKiB(steady.pid()) / 1024);
          } catch (Exception e) {
            // the steady replica is never killed: a failed look is left out, not a sample
          }
        }
        try {
          Thread.sleep(SAMPLE_EVERY.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    /** A replica that is not up (killed, restarting) is not sampled. */
    private void sample(ServiceProcess replica) {
      if (!replica.alive() || replica.readiness() == 0) {
        return;
      }
      String well = get(replica, "/q/health/well");
      int live = replica.liveness();
      String metrics = get(replica, "/q/metrics");
      if (well == null || metrics == null || live == 0) {
        return; // went down between the looks
      }
      samples++;
      if (well.matches("(?s).*\"name\"\\s*:\\s*\"jobs\"\\s*,\\s*\"status\"\\s*:\\s*\"DOWN\".*")) {
        jobsDown++;
        System.out.println("SOAK jobs DOWN on " + replica.log() + ": " + well);
      }
      if (live != 200) {
        livenessFailed++;
      }
      Matcher m = SILENCE.matcher(metrics);
      while (m.find()) {
        longest.merge(m.group(1), Double.parseDouble(m.group(2)), Math::max);
      }
    }

    private static String get(ServiceProcess replica, String path) {
      try {
        HttpRequest request =
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + replica.managementPort() + path))
                .timeout(Duration.ofSeconds(5))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
      } catch (Exception e) {
        return null;
      }
    }

    int samples() {
      return samples;
    }

    int jobsDown() {
      return jobsDown;
    }

    int livenessFailed() {
      return livenessFailed;
    }

    List<Long> rss() {
      return List.copyOf(rss);
    }

    List<Long> heap() {
      return List.copyOf(heap);
    }

    Map<String, String> longestSilence() {
      Map<String, String> shown = new HashMap<>();
      longest.forEach((job, seconds) -> shown.put(job, String.format("%.1fs", seconds)));
      return new java.util.TreeMap<>(shown);
    }
  }
}
