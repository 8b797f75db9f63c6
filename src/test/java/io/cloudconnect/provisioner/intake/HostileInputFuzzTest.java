package io.cloudconnect.provisioner.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.intake.HostileRecords.Expect;
import io.cloudconnect.provisioner.intake.HostileRecords.Sample;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.KafkaFixture;
import io.cloudconnect.provisioner.support.LogCapture;
import io.cloudconnect.provisioner.support.Management;
import io.cloudconnect.provisioner.support.Outcomes;
import io.cloudconnect.provisioner.support.TopicWatcher;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand generated and mutated records, mixed with valid requests, through the real broker:
 * every record gets exactly the one answer its generator promised, valid requests reach ready, the
 * consumer's lag returns to zero, nothing is logged at ERROR, and the heap stays bounded. Prints
 * the figures.
 */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class HostileInputFuzzTest {
  static final int RECORDS = Integer.getInteger("fuzz.records", 10_000);
  static final long SEED = Long.getLong("fuzz.seed", 20261125L);

  private final KafkaFixture kafka = KafkaFixture.get();

  @Test
  void everyRecordGetsExactlyOneAnswerAndNothingElseIsAffected() throws Exception {
    try (LogCapture logs = LogCapture.start()) {
      run(logs);
    }
  }

  private void run(LogCapture logs) throws Exception {
    String runId = Long.toString(System.currentTimeMillis(), 36);
    List<Sample> samples = new HostileRecords(SEED, runId).generate(RECORDS, 0.05);
    long heapBefore = usedHeapAfterGc();
    TopicWatcher watcher = kafka.watcher();

    long start = System.nanoTime();
    kafka.sendAll(
        samples.stream()
            .map(
                s ->
                    new ProducerRecord<>(
                        KafkaFixture.REQUESTS, s.key().getBytes(StandardCharsets.UTF_8), s.value()))
            .toList());
    long sent = System.nanoTime();

    List<Sample> refusedOrDead = samples.stream().filter(s -> s.expect() != Expect.READY).toList();
    Awaitility.await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> refusedOrDead.stream().allMatch(s -> answers(watcher, s) >= 1));
    long intakeDone = System.nanoTime();
    Awaitility.await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> samples.stream().allMatch(s -> answers(watcher, s) >= 1));
    long allDone = System.nanoTime();
    // a second answer, if any, would arrive now: none may, for a second and a half
    Awaitility.await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> samples.stream().allMatch(s -> answers(watcher, s) <= 1));

    Map<String, Integer> byCode = new TreeMap<>();
    Map<String, Integer> byExpectation = new TreeMap<>();
    for (Sample s : samples) {
      byExpectation.merge(s.expect().name(), 1, Integer::sum);
      List<ConsumerRecord<byte[], byte[]>> events = watcher.records(KafkaFixture.EVENTS, s.key());
      List<ConsumerRecord<byte[], byte[]>> dead = watcher.records(KafkaFixture.DLQ, s.key());
      switch (s.expect()) {
        case READY -> {
          assertThat(events).as("answers to %s", s.key()).hasSize(1);
          assertThat(dead).isEmpty();
          assertThat(Outcomes.headers(events.get(0)).get("ce_type"))
              .as(s.key())
              .isEqualTo("cloudconnect.attachment.ready");
          byCode.merge("ready", 1, Integer::sum);
        }
        case FAILED -> {
          assertThat(events).as("answers to %s (%s)", s.key(), s.kind()).hasSize(1);
          assertThat(dead).isEmpty();
          String body = new String(events.get(0).value(), StandardCharsets.UTF_8);
          assertThat(body).contains("\"reason\":\"VALIDATION_FAILED\"");
          byCode.merge("failed:" + firstCode(body), 1, Integer::sum);
        }
        case DEAD_LETTER -> {
          assertThat(dead).as("dead letters of %s", s.key()).hasSize(1);
          assertThat(events).isEmpty();
          assertThat(dead.get(0).value()).isEqualTo(s.value());
          byCode.merge(
              "dlq:" + Outcomes.headers(dead.get(0)).get("cloudconnect-error-code"),
              1,
              Integer::sum);
        }
      }
    }

    awaitLagZero();
    Management.given().get("/q/health/ready").then().statusCode(200);
    long heapAfter = usedHeapAfterGc();

    double intakeSeconds = (intakeDone - start) / 1e9;
    System.out.printf(
        "%nFUZZ figures (seed %d): %d records (%s) published in %.1f s; all refusals and dead letters answered after %.1f s"
            + " = %.0f records/s through intake and validation; all %d ready after %.1f s%n",
        SEED,
        samples.size(),
        byExpectation,
        (sent - start) / 1e9,
        intakeSeconds,
        samples.size() / intakeSeconds,
        byExpectation.getOrDefault("READY", 0),
        (allDone - start) / 1e9);
    System.out.printf("FUZZ answers by code: %s%n", byCode);
    List<LogCapture.Line> errors =
        logs.lines().stream().filter(l -> l.level().intValue() >= Level.SEVERE.intValue()).toList();
    List<String> lines =
        logs.lines().stream()
            .filter(LogCapture.Line::isService)
            .map(LogCapture.Line::message)
            .toList();
    System.out.printf(
        "FUZZ heap used after GC: before %d MiB, after %d MiB; ERROR log records: %d%n%n",
        heapBefore >> 20, heapAfter >> 20, errors.size());

    assertThat(errors).as("log records at ERROR or above").isEmpty();
    // input is never quoted into the log: no forged lines, no injected text, no control characters
    assertThat(lines)
        .noneMatch(
            line ->
                line.contains("[forged]") || line.contains("DROP TABLE") || line.contains("jndi:"));
    assertThat(lines)
        .noneMatch(
            line -> line.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0 || c == 0x1b));
    assertThat(heapAfter - heapBefore).as("heap growth in bytes").isLessThan(256L << 20);
  }

  private static int answers(TopicWatcher watcher, Sample s) {
    return watcher.records(KafkaFixture.EVENTS, s.key()).size()
        + watcher.records(KafkaFixture.DLQ, s.key()).size();
  }

  private static String firstCode(String body) {
    int at = body.indexOf("\"code\":\"");
    return at < 0 ? "?" : body.substring(at + 8, body.indexOf('"', at + 8));
  }

  private void awaitLagZero() throws Exception {
    String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> lag(admin) == 0);
    }
  }

  private static long lag(Admin admin) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets("cloudconnect-provisioner")
            .partitionsToOffsetAndMetadata()
            .get();
    Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    committed.keySet().stream()
        .filter(tp -> tp.topic().equals(KafkaFixture.REQUESTS))
        .forEach(tp -> latest.put(tp, OffsetSpec.latest()));
    long lag = 0;
    for (var entry : admin.listOffsets(latest).all().get().entrySet()) {
      lag += entry.getValue().offset() - committed.get(entry.getKey()).offset();
    }
    return lag;
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
