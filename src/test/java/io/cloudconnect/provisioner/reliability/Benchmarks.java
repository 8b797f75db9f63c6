package io.cloudconnect.provisioner.reliability;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmarks of docs/PERFORMANCE.md, on the fault scenarios' harness (the packaged service as
 * its own JVM, the real broker and database, the simulator in this JVM). Each prints its figures
 * next to a reference measured in the same run, with the ratio; {@code scripts/bench.sh} runs them
 * at full size, {@code BenchmarksSmokeIT} (in {@code .ci/run}) at a tiny size, without timing
 * assertions, to keep them runnable.
 */
final class Benchmarks {
  static final File REPORT = new File(Scenario.DIR, "bench.md");
  private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

  private Benchmarks() {}

  /** What observing cost in one organisation. */
  record Observation(
      int otherAttachments,
      int requests,
      long readsWhileQuiet,
      long readsToReady,
      long listCalls,
      long detailReads,
      double secondsToReady) {
    double readsPerAttachment() {
      return readsToReady / (double) requests;
    }
  }

  /**
   * (d) The cost of observing: {@code requests} requests provisioned in an organisation that
   * already holds {@code others} Active attachments, and 10 s of a quiet organisation before.
   */
  static Observation observation(int others, int requests) throws Exception {
    try (Scenario scenario = new Scenario("observe-" + others, Duration.ofSeconds(2))) {
      EmnifySimulator simulator = scenario.simulator;
      simulator.seedActiveAttachments(others);
      scenario
          .with("emnify.list-page-size", "100")
          .with("cloudconnect.poll-interval", "1s")
          .with("cloudconnect.polling.first-look-after", "4s");
      scenario.startReplicas(1);
      long quietFrom = reads(simulator);
      Thread.sleep(10_000);
      long quiet = reads(simulator) - quietFrom;
      long lists = simulator.requests("GET /cnc/breakout");
      long details = simulator.requests("GET /cnc/breakout/{id}");
      long start = System.nanoTime();
      List<String> ids = scenario.publish(requests);
      scenario.awaitOutcomes(ids, Duration.ofMinutes(3));
      double seconds = (System.nanoTime() - start) / 1e9;
      Scenario.Invariants result = scenario.check(ids);
      if (result.ready() != requests || result.duplicateAttachments() > 0) {
        throw new AssertionError("observation benchmark did not provision cleanly: " + result);
      }
      long listCalls = simulator.requests("GET /cnc/breakout") - lists;
      long detailReads = simulator.requests("GET /cnc/breakout/{id}") - details;
      return new Observation(
          others, requests, quiet, listCalls + detailReads, listCalls, detailReads, seconds);
    }
  }

  /** What start to ready costs, as a client sees it and as Quarkus reports its own boot. */
  record Startup(List<Long> readyMillis, List<Long> quarkusMillis) {
    long medianReady() {
      return median(readyMillis);
    }

    long medianQuarkus() {
      return median(quarkusMillis);
    }
  }

  /** (e) Start to ready, {@code runs} times, each a new JVM. */
  static Startup startup(int runs) throws Exception {
    List<Long> ready = new ArrayList<>();
    List<Long> quarkus = new ArrayList<>();
    try (Scenario scenario = new Scenario("startup", Duration.ofSeconds(2))) {
      ServiceProcess service = scenario.replica("a", 18181);
      for (int i = 0; i < runs; i++) {
        service.start();
        ready.add(service.awaitReady(Duration.ofSeconds(60)).toMillis());
        service.terminate(Duration.ofSeconds(30));
        quarkus.add(lastStartedMillis(service.log()));
      }
    }
    return new Startup(ready, quarkus);
  }

  private static long lastStartedMillis(File log) throws Exception {
    Matcher m = STARTED.matcher(Files.readString(log.toPath(), StandardCharsets.UTF_8));
    long last = -1;
    while (m.find()) {
      last = Math.round(Double.parseDouble(m.group(1)) * 1000);
    }
    return last;
  }

  static long reads(EmnifySimulator simulator) {
    return simulator.requests("GET /cnc/breakout") + simulator.requests("GET /cnc/breakout/{id}");
  }

  static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  static void report(String line) throws Exception {
    System.out.println("BENCH " + line);
    REPORT.getParentFile().mkdirs();
    Files.writeString(
        REPORT.toPath(),
        line + System.lineSeparator(),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  static String observationTable(Observation reference, Observation measured) {
    return String.format(
        "| organisation holds | requests | reads while quiet (10 s) | list calls | detail reads |"
            + " reads per attachment | s to all ready |%n|---|---|---|---|---|---|---|%n"
            + "%s%n%s%n%nreads per attachment, %d others / none: %.2f× (physical bound: 1 detail"
            + " read per attachment)",
        row(reference),
        row(measured),
        measured.otherAttachments(),
        measured.readsPerAttachment() / reference.readsPerAttachment());
  }

  private static String row(Observation o) {
    return String.format(
        "| %,d others | %d | %d | %d | %d | %.2f | %.1f |",
        o.otherAttachments(),
        o.requests(),
        o.readsWhileQuiet(),
        o.listCalls(),
        o.detailReads(),
        o.readsPerAttachment(),
        o.secondsToReady());
  }
}
