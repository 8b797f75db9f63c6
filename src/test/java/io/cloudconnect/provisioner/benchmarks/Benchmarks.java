package io.cloudconnect.provisioner.benchmarks;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.provisioner.reliability.Database;
import io.cloudconnect.provisioner.reliability.ProcessMemory;
import io.cloudconnect.provisioner.reliability.Scenario;
import io.cloudconnect.provisioner.reliability.ServiceProcess;
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
      boolean pagedList,
      int requests,
      long readsWhileQuiet,
      long readsToReady,
      long listCalls,
      long detailReads,
      double secondsToReady,
      long activeToReadyP50Millis,
      long activeToReadyP99Millis,
      long peakRssMiB,
      long heapAfterGcMiB) {
    double readsPerAttachment() {
      return readsToReady / (double) requests;
    }
  }

  /**
   * (d) The cost of observing: {@code requests} requests provisioned in an organisation that
   * already holds {@code others} Active attachments, and 10 s of a quiet organisation before.
   */
  static Observation observation(int others, int requests) throws Exception {
    return observation(others, requests, false);
  }

  /**
   * The same with emnify's list as documented (unpaged: every attachment in each list answer) or
   * paged ({@code per_page} 100 honoured); the service's peak RSS and its heap after a full
   * collection at the end say what reading the whole list costs in memory.
   */
  static Observation observation(int others, int requests, boolean pagedList) throws Exception {
    return observation(others, requests, pagedList, Duration.ofSeconds(10));
  }

  /** The same with {@code quiet} of a quiet organisation before the requests (the smoke's 3 s). */
  static Observation observation(int others, int requests, boolean pagedList, Duration quiet)
      throws Exception {
    try (Scenario scenario =
        new Scenario(
            "observe-" + others + (pagedList ? "-paged" : ""),
            Duration.ofSeconds(2),
            Database.machine(),
            options -> options.withPagedList(pagedList))) {
      EmnifySimulator simulator = scenario.simulator;
      simulator.seedActiveAttachments(others);
      scenario
          .with("emnify.list-page-size", "100")
          .with("cloudconnect.poll-interval", "1s")
          .with("cloudconnect.polling.first-look-after", "4s");
      ServiceProcess service = scenario.startReplicas(1).get(0);
      long quietFrom = reads(simulator);
      Thread.sleep(quiet.toMillis());
      long quietReads = reads(simulator) - quietFrom;
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
      List<Long> activeToReady = new ArrayList<>();
      for (String id : ids) {
        long readyAt = scenario.watcher.records(scenario.events, id).get(0).timestamp();
        simulator
            .activeSince(io.cloudconnect.provisioner.saga.Marker.of(Scenario.NAMESPACE, id))
            .ifPresent(active -> activeToReady.add(readyAt - active.toEpochMilli()));
      }
      Collections.sort(activeToReady);
      return new Observation(
          others,
          pagedList,
          requests,
          quietReads,
          listCalls + detailReads,
          listCalls,
          detailReads,
          seconds,
          percentile(activeToReady, 50),
          percentile(activeToReady, 99),
          ProcessMemory.peakRssKiB(service.pid()) / 1024,
          ProcessMemory.heapAfterGcKiB(service.pid()) / 1024);
    }
  }

  /**
   * The service's footprint and observing cost with {@code sagas} accepted attachments in flight.
   */
  record InFlight(
      int sagas,
      boolean traced,
      long rssMiB,
      long heapAfterGcMiB,
      double cpuPercentOfACore,
      long readsPerFiveMinutes,
      Duration measured) {}

  /**
   * (c) {@code count} requests in flight (accepted by emnify, pending for good), written straight
   * into the database so that the run measures holding them, not creating them; the service polls
   * them (interval 15 s, first look at once) for {@code window} after a warm-up.
   */
  static InFlight inFlight(int count, Duration warmUp, Duration window) throws Exception {
    return inFlight(count, warmUp, window, true);
  }

  /** The same, with tracing (OpenTelemetry) on as shipped, or off, to measure what it costs. */
  static InFlight inFlight(int count, Duration warmUp, Duration window, boolean traced)
      throws Exception {
    try (Scenario scenario =
        new Scenario("inflight-" + count + (traced ? "" : "-untraced"), Duration.ofSeconds(2))) {
      if (!traced) {
        scenario.with("quarkus.otel.sdk.disabled", "true");
      }
      scenario
          .with("emnify.list-page-size", "100")
          .with("cloudconnect.poll-interval", "15s")
          .with("cloudconnect.polling.first-look-after", "0s")
          .with("cloudconnect.budget.api.per-window", "1800")
          .with("cloudconnect.budget.api.burst", "100");
      ServiceProcess service = scenario.startReplicas(1).get(0);
      String prefix = "inflight-" + count + "-";
      List<Long> attachments = scenario.simulator.seedPendingAttachments(count, prefix);
      insertAccepted(scenario.database(), prefix, attachments);
      Thread.sleep(warmUp.toMillis()); // the first cycles, JIT
      long readsFrom = reads(scenario.simulator);
      long cpuFrom = cpuTicks(service.pid());
      long start = System.nanoTime();
      Thread.sleep(window.toMillis());
      double seconds = (System.nanoTime() - start) / 1e9;
      long cpu = cpuTicks(service.pid()) - cpuFrom;
      long readsInWindow = reads(scenario.simulator) - readsFrom;
      return new InFlight(
          count,
          traced,
          ProcessMemory.rssKiB(service.pid()) / 1024,
          ProcessMemory.heapAfterGcKiB(service.pid()) / 1024,
          cpu / (double) CLOCK_TICKS / seconds * 100,
          Math.round(readsInWindow / seconds * 300),
          window);
    }
  }

  private static final int CLOCK_TICKS = 100; // Linux USER_HZ

  private static void insertAccepted(Database database, String prefix, List<Long> attachments)
      throws Exception {
    String sql =
        "insert into provisioning_saga (request_id, version, state, attachment_type, name, region,"
            + " spec_json, marker, attachment_id, create_attempts, received_at, creating_at,"
            + " provisioning_at, updated_at, deadline_at) values (?, 0, 'PROVISIONING', 2, ?,"
            + " 'eu-west-1', '{}', ?, ?, 1, now(), now(), now(), now(), now() + interval '1 day')";
    try (java.sql.Connection connection = database.connect();
        java.sql.PreparedStatement insert = connection.prepareStatement(sql)) {
      for (int i = 0; i < attachments.size(); i++) {
        insert.setString(1, prefix + i);
        insert.setString(2, "pending site " + i);
        insert.setString(3, "[ccp:" + prefix + i + "]");
        insert.setLong(4, attachments.get(i));
        insert.addBatch();
        if (i % 1000 == 999) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
    }
  }

  private static long cpuTicks(long pid) throws Exception {
    String stat = Files.readString(new File("/proc/" + pid + "/stat").toPath());
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
  }

  static String inFlightTable(InFlight reference, InFlight measured, InFlight... more) {
    StringBuilder rows = new StringBuilder(row(reference)).append('\n').append(row(measured));
    for (InFlight m : more) {
      rows.append('\n').append(row(m));
    }
    return String.format(
        "| in flight | tracing | RSS MiB | heap after GC MiB | CPU %% of a core (idle polling) |"
            + " reads per 5 min (quota 2,000) |%n|---|---|---|---|---|---|%n%s%n%nRSS %,d in"
            + " flight / none: %.2f×; measured over %s each",
        rows,
        measured.sagas(),
        measured.rssMiB() / (double) reference.rssMiB(),
        measured.measured());
  }

  private static String row(InFlight f) {
    return String.format(
        "| %,d | %s | %d | %d | %.1f | %d |",
        f.sagas(),
        f.traced() ? "on" : "off",
        f.rssMiB(),
        f.heapAfterGcMiB(),
        f.cpuPercentOfACore(),
        f.readsPerFiveMinutes());
  }

  /** Intake of a burst, next to PostgreSQL's single-row insert ceiling for a row of its shape. */
  record Intake(int records, double recordsPerSecond, double pgbenchRowsPerSecond) {
    double ratio() {
      return recordsPerSecond / pgbenchRowsPerSecond;
    }
  }

  /**
   * (a) {@code count} valid requests published before the service starts (background jobs off, so
   * intake alone is measured), timed from ready to all recorded; against pgbench inserting single
   * rows of the saga's shape into a copy of its table, in the same database, in the same run.
   */
  static Intake intake(int count, Duration pgbenchDuration) throws Exception {
    return intake(count, pgbenchDuration, true);
  }

  /** The same with tracing on (as shipped: three spans a record) or off. */
  static Intake intake(int count, Duration pgbenchDuration, boolean traced) throws Exception {
    try (Scenario scenario =
        new Scenario("intake-" + count + (traced ? "" : "-untraced"), Duration.ofSeconds(2))) {
      scenario.with("cloudconnect.jobs.enabled", "false");
      if (!traced) {
        scenario.with("quarkus.otel.sdk.disabled", "true");
      }
      ServiceProcess service = scenario.replica("a", 18181);
      scenario.publish(count);
      service.start();
      service.awaitReady(Duration.ofSeconds(60));
      long start = System.nanoTime();
      Database database = scenario.database();
      while (sagas(database) < count) {
        if (System.nanoTime() - start > Duration.ofMinutes(10).toNanos()) {
          throw new AssertionError("intake did not record " + count + " requests in 10 minutes");
        }
        Thread.sleep(100);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      service.terminate(Duration.ofSeconds(30));
      double pgbench = pgbenchSingleRowInserts(database, pgbenchDuration);
      return new Intake(count, count / seconds, pgbench);
    }
  }

  private static long sagas(Database database) throws Exception {
    try (java.sql.Connection connection = database.connect();
        java.sql.ResultSet rows =
            connection.createStatement().executeQuery("select count(*) from provisioning_saga")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** pgbench, 4 clients on 2 threads, each transaction one insert of a saga-shaped row. */
  private static double pgbenchSingleRowInserts(Database database, Duration duration)
      throws Exception {
    try (java.sql.Connection connection = database.connect()) {
      connection
          .createStatement()
          .execute(
              "drop table if exists bench_row; create table bench_row (like provisioning_saga"
                  + " including defaults including constraints); alter table bench_row add primary"
                  + " key (request_id)");
    }
    File script = File.createTempFile("pgbench-row", ".sql");
    Files.writeString(
        script.toPath(),
        "insert into bench_row (request_id, version, state, attachment_type, name, region,"
            + " spec_json, marker, create_attempts, received_at, updated_at, deadline_at,"
            + " next_attempt_at) values (md5(random()::text || clock_timestamp()::text), 0,"
            + " 'RECEIVED', 2, 'Berlin branch office', 'eu-west-1', '{\"type\":2,\"name\":"
            + "\"Berlin branch office\",\"region\":\"eu-west-1\",\"public_ip\":\"91.64.22.5\","
            + "\"on_prem_cidr\":[\"10.20.0.0/16\"]}', '[ccp:bench]', 0, now(), now(), now() +"
            + " interval '1 hour', now());\n");
    ProcessBuilder builder =
        new ProcessBuilder(
            "pgbench",
            "-n",
            "-c",
            "4",
            "-j",
            "2",
            "-T",
            String.valueOf(duration.toSeconds()),
            "-f",
            script.getAbsolutePath(),
            "-h",
            database.host(),
            "-p",
            String.valueOf(database.port()),
            "-U",
            "cloudconnect",
            database.name());
    builder.environment().put("PGPASSWORD", database.password());
    Process process = builder.redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
    if (!tps.find()) {
      throw new IllegalStateException("pgbench printed no tps: " + output);
    }
    return Double.parseDouble(tps.group(1));
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

  /** The {@code p}th percentile (nearest rank) of sorted {@code values}; -1 when empty. */
  static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
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

  static String observationTable(Observation reference, Observation measured, Observation... more) {
    StringBuilder rows = new StringBuilder(row(reference)).append('\n').append(row(measured));
    for (Observation o : more) {
      rows.append('\n').append(row(o));
    }
    return String.format(
        "| organisation holds | list | requests | reads while quiet (10 s; the smoke 3 s) | list calls | detail"
            + " reads | reads per attachment | s to all ready | Active → ready event p50 / p99 ms |"
            + " peak RSS MiB | heap after GC MiB |%n"
            + "|---|---|---|---|---|---|---|---|---|---|---|%n"
            + "%s%n%nreads per attachment, %d others / none: %.2f× (physical bound: 1 detail"
            + " read per attachment); Active → ready p99 target: the poll interval + 1 s",
        rows,
        measured.otherAttachments(),
        measured.readsPerAttachment() / reference.readsPerAttachment());
  }

  private static String row(Observation o) {
    return String.format(
        "| %,d others | %s | %d | %d | %d | %d | %.2f | %.1f | %d / %d | %d | %d |",
        o.otherAttachments(),
        o.pagedList() ? "paged (100)" : "unpaged (documented)",
        o.requests(),
        o.readsWhileQuiet(),
        o.listCalls(),
        o.detailReads(),
        o.readsPerAttachment(),
        o.secondsToReady(),
        o.activeToReadyP50Millis(),
        o.activeToReadyP99Millis(),
        o.peakRssMiB(),
        o.heapAfterGcMiB());
  }
}
