package io.cloudconnect.provisioner.support;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;

/**
 * Collects every record published to some topics from the moment it starts, indexed by key, so
 * tests sharing a topic can each wait for their own request's records. Built on SmallRye's Kafka
 * companion: it creates the topics, reads their end offsets and runs the consumer; this class only
 * keeps the index.
 */
public final class TopicWatcher implements AutoCloseable {
  private static final Duration KAFKA_API_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaCompanion companion;
  private final ConsumerTask<byte[], byte[]> task;
  private final Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = new ConcurrentHashMap<>();

  public TopicWatcher(String bootstrap, String... topics) {
    companion = new KafkaCompanion(bootstrap, KAFKA_API_TIMEOUT);
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    ensureTopics(companion, topics).forEach(tp -> latest.put(tp, OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new HashMap<>();
    companion.offsets().list(latest).forEach((tp, info) -> ends.put(tp, info.offset()));
    task =
        companion
            .<byte[], byte[]>consumeWithDeserializers(
                ByteArrayDeserializer.class, ByteArrayDeserializer.class)
            .withIsolationLevel(IsolationLevel.READ_COMMITTED)
            .fromOffsets(ends, records -> records.invoke(this::index));
  }

  private void index(ConsumerRecord<byte[], byte[]> record) {
    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    byKey.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(record);
  }

  /**
   * Records on {@code topic} with {@code key}, as seen so far; a result event among them that
   * breaks the published schemas fails the caller ({@link EventContract}).
   */
  public List<ConsumerRecord<byte[], byte[]>> records(String topic, String key) {
    List<ConsumerRecord<byte[], byte[]>> found =
        byKey.getOrDefault(key, List.of()).stream().filter(r -> r.topic().equals(topic)).toList();
    if (topic.equals(KafkaFixture.EVENTS)) {
      found.forEach(EventContract::check);
    }
    return found;
  }

  /** Waits until {@code topic} has at least {@code count} records with {@code key}. */
  public List<ConsumerRecord<byte[], byte[]>> await(
      String topic, String key, int count, Duration timeout) {
    Awaitility.await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> records(topic, key).size() >= count);
    return records(topic, key);
  }

  public ConsumerRecord<byte[], byte[]> awaitOne(String topic, String key, Duration timeout) {
    return await(topic, key, 1, timeout).get(0);
  }

  @Override
  public void close() {
    task.close();
    companion.close();
  }

  /** Creates missing topics (3 partitions). */
  public static void createTopics(String bootstrap, String... topics) {
    try (KafkaCompanion companion = new KafkaCompanion(bootstrap, KAFKA_API_TIMEOUT)) {
      ensureTopics(companion, topics);
    }
  }

  /** Every partition of the topics, creating missing ones and waiting until they are served. */
  private static List<TopicPartition> ensureTopics(KafkaCompanion companion, String... topics) {
    Set<String> existing = companion.topics().list();
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      TopicDescription description = null;
      if (!existing.contains(topic)) {
        try {
          description = companion.topics().createAndWait(topic, 3, KAFKA_API_TIMEOUT);
        } catch (RuntimeException e) {
          // created meanwhile (e.g. by the service's consumer): wait for it below
        }
      }
      if (description == null) {
        description = companion.topics().waitForTopic(topic).await().atMost(KAFKA_API_TIMEOUT);
      }
      description
          .partitions()
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    return partitions;
  }
}
