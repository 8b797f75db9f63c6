package io.cloudconnect.provisioner.reliability;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.emnify.simulator.SimulatorOptions;
import io.cloudconnect.provisioner.saga.Marker;
import io.cloudconnect.provisioner.support.Outcomes;
import io.cloudconnect.provisioner.support.Requests;
import io.cloudconnect.provisioner.support.TopicWatcher;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One fault scenario's world: a fresh schema, its own topics and consumer group, a stand-alone
 * simulator, replicas of the packaged service, and the checks of the invariants afterwards.
 */
public final class Scenario implements AutoCloseable {
  public static final String BOOTSTRAP =
      System.getProperty(
          "kafka.bootstrap",
          System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));

  public static final File DIR =
      new File(System.getProperty("reliability.dir", "target/reliability"));

  /** The replicas' marker namespace (cloudconnect.deployment.namespace). */
  public static final String NAMESPACE = "reliability";

  public final String name;
  private final Database database;
  public final String id;
  public final EmnifySimulator simulator;
  public final TopicWatcher watcher;
  public final String requests;
  public final String events;
  private final KafkaProducer<String, String> producer;
  private final List<ServiceProcess> replicas = new ArrayList<>();
  private final Map<String, String> overrides = new LinkedHashMap<>();

  public Scenario(String name, Duration statusStep) throws Exception {
    this(name, statusStep, Database.machine());
  }

  /** A scenario whose service keeps its sagas in {@code database}. */
  public Scenario(String name, Duration statusStep, Database database) throws Exception {
    this(name, statusStep, database, options -> options);
  }

  /** As above, with the simulator's options changed (e.g. a shorter lock-out). */
  public Scenario(
      String name,
      Duration statusStep,
      Database database,
      java.util.function.UnaryOperator<SimulatorOptions> simulatorOptions)
      throws Exception {
    this.name = name;
    this.database = database;
    this.id = name + "-" + UUID.randomUUID().toString().substring(0, 6);
    DIR.mkdirs();
    resetSchema(database);
    simulator =
        EmnifySimulator.start(simulatorOptions.apply(SimulatorOptions.forTests(statusStep)));
    requests = "rq-" + id;
    events = "ev-" + id;
    TopicWatcher.createTopics(BOOTSTRAP, requests);
    watcher = new TopicWatcher(BOOTSTRAP, events, "dlq-" + id);
    Properties props = new Properties();
    props.put("bootstrap.servers", BOOTSTRAP);
    props.put("key.serializer", StringSerializer.class.getName());
    props.put("value.serializer", StringSerializer.class.getName());
    props.put("acks", "all");
    producer = new KafkaProducer<>(props);
  }

  public Database database() {
    return database;
  }

  /** Settings on top of the defaults below, e.g. a scenario's budget or poll interval. */
  public Scenario with(String key, String value) {
    overrides.put(key, value);
    return this;
  }

  /** Starts {@code count} replicas (ports 18181, 18182, ...) and waits until each is ready. */
  public List<ServiceProcess> startReplicas(int count) throws Exception {
    List<ServiceProcess> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ServiceProcess replica = replica(String.valueOf((char) ('a' + i)), 18181 + i);
      replica.start();
      started.add(replica);
    }
    for (ServiceProcess replica : started) {
      replica.awaitReady(Duration.ofSeconds(60));
    }
    return started;
  }

  public ServiceProcess replica(String replicaName, int port) {
    ServiceProcess replica = new ServiceProcess(id + "-" + replicaName, port, properties(), DIR);
    replicas.add(replica);
    return replica;
  }

  private Map<String, String> properties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("kafka.bootstrap.servers", BOOTSTRAP);
    p.put("quarkus.datasource.reactive.url", database.reactiveUrl());
    p.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
    p.put("quarkus.datasource.username", "cloudconnect");
    p.put("quarkus.datasource.password", database.password());
    p.put("emnify.api-url", simulator.url());
    p.put("emnify.allow-plain-http", "true"); // the simulator: production settings otherwise
    p.put("cloudconnect.kafka.allow-plaintext", "true"); // the machine's own broker
    p.put("emnify.application-token", SimulatorOptions.APPLICATION_TOKEN);
    p.put("emnify.list-page-size", "1000");
    p.put(
        "cloudconnect.secrets.psk-key",
        Base64.getEncoder()
            .encodeToString("reliability-test-key-32-bytes!!!".getBytes(StandardCharsets.UTF_8)));
    p.put("mp.messaging.incoming.requests.topic", requests);
    p.put("mp.messaging.incoming.requests.group.id", "g-" + id);
    p.put("mp.messaging.incoming.requests.dead-letter-queue.topic", "dlq-" + id);
    p.put("mp.messaging.outgoing.events.topic", events);
    // a killed consumer's partitions move to the survivors within seconds, not 45 s
    p.put("mp.messaging.incoming.requests.session.timeout.ms", "6000");
    p.put("mp.messaging.incoming.requests.heartbeat.interval.ms", "1000");
    p.put("cloudconnect.poll-interval", "300ms");
    p.put("cloudconnect.polling.first-look-after", "600ms"); // 1 min, scaled like the rest
    p.put("cloudconnect.provisioning-timeout", "10m");
    p.put("cloudconnect.creation.interval", "100ms");
    p.put("cloudconnect.creation.retry-backoff", "200ms");
    p.put("cloudconnect.creation.max-retry-backoff", "2s");
    p.put("cloudconnect.creation.ambiguous-grace", "3s");
    p.put("cloudconnect.creation.max-submit-age", "8m");
    p.put("cloudconnect.outbox.relay-interval", "100ms");
    p.put("cloudconnect.leases.duration", "3s");
    // a killed replica's claimed events are taken over after this (renewed while sends wait)
    p.put("cloudconnect.outbox.claim", "6s");
    p.put("cloudconnect.budget.api.per-window", "20000");
    p.put("cloudconnect.budget.api.burst", "1000");
    p.put("cloudconnect.deployment.namespace", NAMESPACE);
    p.put("quarkus.rest-client.emnify.read-timeout", "1500");
    for (String call : List.of("createVpn", "get", "listPage", "delete")) {
      p.put("io.cloudconnect.provisioner.emnify.EmnifyCalls/" + call + "/Timeout/value", "2000");
      p.put(
          "io.cloudconnect.provisioner.emnify.EmnifyCalls/" + call + "/CircuitBreaker/delay",
          "2000");
    }
    p.put("quarkus.shutdown.timeout", "10s");
    p.putAll(overrides);
    return p;
  }

  public List<String> publish(int count) throws Exception {
    return publish(count, 0);
  }

  /** Publishes {@code count} valid requests of wave {@code wave}; returns their request ids. */
  public List<String> publish(int count, int wave) throws Exception {
    List<String> ids = new ArrayList<>();
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String requestId = requestId(wave, i);
      ids.add(requestId);
      sent.add(
          producer.send(
              new ProducerRecord<>(requests, requestId, Requests.staticVpn(requestId).toString())));
    }
    producer.flush();
    for (var future : sent) {
      future.get(60, TimeUnit.SECONDS);
    }
    return ids;
  }

  /**
   * Publishes {@code count} create requests of {@code wave}, the {@code i}th named {@code
   * name.apply(i)} (a simulator fate such as {@code [sim:stuck]} goes into the name).
   */
  public List<String> publishNamed(int count, int wave, java.util.function.IntFunction<String> name)
      throws Exception {
    List<String> ids = new ArrayList<>();
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String requestId = requestId(wave, i);
      ids.add(requestId);
      var request = Requests.staticVpn(requestId);
      Requests.attachment(request).put("name", name.apply(i));
      records.add(new ProducerRecord<>(requests, requestId, request.toString()));
    }
    send(records);
    return ids;
  }

  /**
   * Publishes a delete request for each of {@code targets}, keyed by the target's request_id as the
   * contract asks (so that it lands in the create's partition, behind it); returns their request
   * ids.
   */
  public List<String> publishDeletes(List<String> targets) throws Exception {
    List<String> ids = new ArrayList<>();
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (String target : targets) {
      String requestId = "del-" + target;
      ids.add(requestId);
      records.add(
          new ProducerRecord<>(requests, target, Requests.deleteOf(requestId, target).toString()));
    }
    send(records);
    return ids;
  }

  private void send(List<ProducerRecord<String, String>> records) throws Exception {
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    records.forEach(r -> sent.add(producer.send(r)));
    producer.flush();
    for (var future : sent) {
      future.get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * The attachments still at emnify (neither gone nor Deactivated) that carry the marker of one of
   * {@code requestIds}: what a failed or deleted request left behind.
   */
  public List<Long> leftBehind(java.util.Collection<String> requestIds) {
    List<Long> left = new ArrayList<>();
    for (String rid : requestIds) {
      for (long attachment : simulator.existingWith(Marker.of(NAMESPACE, rid))) {
        if (simulator.statusOf(attachment) != 7) {
          left.add(attachment);
        }
      }
    }
    return left;
  }

  /** Attachments with their description, status and the state of the request they name. */
  public String describe(List<Long> attachments) throws Exception {
    StringBuilder text = new StringBuilder();
    try (java.sql.Connection connection = database.connect()) {
      for (long attachment : attachments) {
        String description =
            simulator.descriptions().stream()
                .filter(d -> d != null && d.contains("/" + id))
                .filter(d -> simulator.existingWith(d).contains(attachment))
                .findFirst()
                .orElse("?");
        String rid = Marker.in(description).map(Marker.Found::requestId).orElse("?");
        String state = "?";
        try (var statement =
            connection.prepareStatement(
                "select state, attachment_id, compensation from provisioning_saga where request_id = ?")) {
          statement.setString(1, rid);
          try (var rows = statement.executeQuery()) {
            if (rows.next()) {
              state = rows.getString(1) + " holding " + rows.getString(2) + " " + rows.getString(3);
            }
          }
        }
        text.append(
            String.format(
                "%n  attachment %d (status %d) of %s: request %s",
                attachment, simulator.statusOf(attachment), rid, state));
      }
    }
    return text.toString();
  }

  /** The type of {@code requestId}'s first outcome event, or null. */
  public String outcomeType(String requestId) {
    var records = watcher.records(events, requestId);
    return records.isEmpty() ? null : Outcomes.headers(records.get(0)).get("ce_type");
  }

  /** The request id {@link #publish(int, int)} gives the {@code i}th request of {@code wave}. */
  public String requestId(int wave, int i) {
    return id + "-" + wave + "-" + i;
  }

  /** Waits until every request has an outcome; returns how long that took. */
  public Duration awaitOutcomes(List<String> ids, Duration timeout) {
    long start = System.nanoTime();
    try {
      Awaitility.await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> ids.stream().allMatch(rid -> !watcher.records(events, rid).isEmpty()));
    } catch (ConditionTimeoutException e) {
      long missing = ids.stream().filter(rid -> watcher.records(events, rid).isEmpty()).count();
      replicas.forEach(ServiceProcess::dumpThreads);
      throw new AssertionError(
          missing
              + " of "
              + ids.size()
              + " requests without an outcome after "
              + timeout
              + "; each replica's log ends with its thread dump: "
              + replicas.stream().map(r -> r.log().toString()).toList(),
          e);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** The attachment ids the ready events of {@code ids} carry. */
  public Set<Long> readyAttachmentIds(List<String> ids) {
    Set<Long> attachments = new HashSet<>();
    for (String rid : ids) {
      for (ConsumerRecord<byte[], byte[]> record : watcher.records(events, rid)) {
        if (Outcomes.headers(record).get("ce_type").endsWith("ready")) {
          try {
            attachments.add(
                new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(record.value())
                    .path("attachment_id")
                    .asLong());
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
    }
    return attachments;
  }

  /** How many attachments (deleted ones included) carry each request's marker. */
  private Map<String, Integer> attachmentsPerRequest() {
    Map<String, Integer> counts = new HashMap<>();
    simulator
        .descriptions()
        .forEach(d -> Marker.in(d).ifPresent(m -> counts.merge(m.requestId(), 1, Integer::sum)));
    return counts;
  }

  /** The invariants, counted over all requests. */
  public Invariants check(List<String> ids) throws InterruptedException {
    Thread.sleep(2000); // late duplicates would arrive now
    Map<String, Integer> attachments = attachmentsPerRequest();
    int lost = 0, conflicting = 0, duplicates = 0, republished = 0, ready = 0, failed = 0;
    Set<String> failures = new HashSet<>();
    for (String rid : ids) {
      List<ConsumerRecord<byte[], byte[]>> outcomes = watcher.records(events, rid);
      if (outcomes.isEmpty()) {
        lost++;
        continue;
      }
      Set<String> distinct = new HashSet<>();
      outcomes.forEach(r -> distinct.add(Outcomes.headers(r).get("ce_id")));
      conflicting += distinct.size() > 1 ? 1 : 0;
      republished += outcomes.size() - distinct.size();
      String type = Outcomes.headers(outcomes.get(0)).get("ce_type");
      if (type.endsWith("ready")) {
        ready++;
      } else {
        failed++;
        failures.add(new String(outcomes.get(0).value(), StandardCharsets.UTF_8));
      }
      duplicates += attachments.getOrDefault(rid, 0) > 1 ? 1 : 0;
    }
    return new Invariants(
        ids.size(), ready, failed, lost, conflicting, duplicates, republished, failures);
  }

  public record Invariants(
      int requests,
      int ready,
      int failed,
      int lost,
      int conflictingOutcomes,
      int duplicateAttachments,
      int republished,
      Set<String> failures) {}

  /**
   * One row of the report: the scenario, the invariant columns, then the scenario's own figures.
   */
  public void report(String scenario, Invariants r, String figures) throws Exception {
    report(
        String.format(
            "| %s | %d | %d | %d | %d | %d | %d | %s |",
            scenario,
            r.requests(),
            r.ready(),
            r.lost(),
            r.conflictingOutcomes(),
            r.duplicateAttachments(),
            r.republished(),
            figures));
  }

  public void report(String line) throws Exception {
    System.out.println("RELIABILITY " + line);
    Files.writeString(
        new File(DIR, "report.md").toPath(),
        line + System.lineSeparator(),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  @Override
  public void close() throws Exception {
    for (ServiceProcess replica : replicas) {
      if (replica.alive()) {
        replica.kill();
      }
    }
    producer.close();
    watcher.close();
    simulator.close();
  }

  private static void resetSchema(Database database) throws Exception {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS public CASCADE");
      statement.execute("CREATE SCHEMA public");
    }
  }
}
