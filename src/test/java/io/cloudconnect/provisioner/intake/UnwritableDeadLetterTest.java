package io.cloudconnect.provisioner.intake;

import static org.awaitility.Awaitility.await;

import io.cloudconnect.provisioner.support.Db;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.Management;
import io.cloudconnect.provisioner.support.ManualJobs;
import io.cloudconnect.provisioner.support.Requests;
import io.cloudconnect.provisioner.support.TopicWatcher;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter topic refuses every write (here: a name Kafka refuses). The unreadable record is
 * not dropped: its partition waits and retries, visibly ({@code
 * cloudconnect_deferred_total{reason="dead-letter-unwritable"}}), while the records of the other
 * partitions are recorded and liveness stays UP. Before, the failed dead-letter write failed the
 * consumer's stream: that consumer ended for good and liveness went DOWN.
 */
@Tag("platform")
@QuarkusTest
@TestProfile(UnwritableDeadLetterTest.UnwritableDlq.class)
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class UnwritableDeadLetterTest {
  // a topic and group of its own each run: a poison record is never committed (that is the point),
  // so on a broker kept between runs an earlier run's would hold another partition
  // (a system property: the profile and the test may be loaded by different class loaders)
  static final String TOPIC =
      (String)
          System.getProperties()
              .computeIfAbsent(
                  "unwritable-dlq.topic",
                  k -> "requests-unwritable-dlq-" + Long.toString(System.currentTimeMillis(), 36));

  public static class UnwritableDlq extends ManualJobs {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
      overrides.put("mp.messaging.incoming.requests.topic", TOPIC);
      overrides.put("mp.messaging.incoming.requests.group.id", "g-" + TOPIC);
      overrides.put("mp.messaging.incoming.requests.dead-letter-queue.topic", "no such topic!");
      return overrides;
    }
  }

  @Inject MeterRegistry metrics;

  private static int partitionOf(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 3;
  }

  private double unwritable() {
    var counter =
        metrics
            .find("cloudconnect.deferred")
            .tags("job_name", "intake", "reason", "dead-letter-unwritable")
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void anUnwritableDeadLetterTopicHoldsOnlyItsPartitionAndLivenessStaysUp() throws Exception {
    String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    TopicWatcher.createTopics(bootstrap, TOPIC);
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("key.serializer", StringSerializer.class.getName());
    props.put("value.serializer", StringSerializer.class.getName());
    props.put("acks", "all");
    String poison = "poison-" + Requests.newRequestId("dlq");
    List<String> elsewhere = new ArrayList<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      producer.send(new ProducerRecord<>(TOPIC, poison, "{not json")).get();
      for (int i = 0; elsewhere.size() < 5; i++) {
        String id = Requests.newRequestId("dlq-ok");
        if (partitionOf(id) != partitionOf(poison)) {
          elsewhere.add(id);
          producer.send(new ProducerRecord<>(TOPIC, id, Requests.staticVpn(id).toString())).get();
        }
      }
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> elsewhere.stream().allMatch(id -> Db.saga(id) != null));
    // the poison was published first: its dead-letter write fails, and is tried again, while the
    // process stays alive
    await().atMost(Duration.ofSeconds(30)).until(() -> unwritable() >= 2);
    Management.given().get("/q/health/live").then().statusCode(200);
  }
}
