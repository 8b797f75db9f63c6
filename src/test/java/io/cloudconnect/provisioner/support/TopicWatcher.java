package io.cloudconnect.provisioner.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;

/**
 * Collects every record published to some topics from the moment it starts, indexed by key, so
 * tests sharing a topic can each wait for their own request's records. One instance per test JVM.
 */
public final class TopicWatcher implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = new ConcurrentHashMap<>();
  private final List<ConsumerRecord<byte[], byte[]>> all = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  private final Map<String, Integer> expectedPartitions;

  public TopicWatcher(String bootstrap, String... topics) {
    expectedPartitions = createTopics(bootstrap, topics);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(props);
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      partitions.addAll(partitionsOf(topic));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // resolve "end" now, before any test produces
    thread = new Thread(this::run, "topic-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  /** All partitions of a topic, waiting until a just-created topic's metadata has propagated. */
  private List<TopicPartition> partitionsOf(String topic) {
    List<TopicPartition> found = new ArrayList<>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              found.clear();
              consumer
                  .partitionsFor(topic, Duration.ofSeconds(5))
                  .forEach(p -> found.add(new TopicPartition(topic, p.partition())));
              return found.size() >= expectedPartitions.getOrDefault(topic, 1);
            });
    return found;
  }

  private void run() {
    while (running) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        all.add(record);
        String key =
            record.key() == null
                ? ""
                : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
        byKey.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(record);
      }
    }
    consumer.close();
  }

  /** Records on {@code topic} with {@code key}, as seen so far. */
  public List<ConsumerRecord<byte[], byte[]>> records(String topic, String key) {
    return byKey.getOrDefault(key, List.of()).stream()
        .filter(r -> r.topic().equals(topic))
        .toList();
  }

  public List<ConsumerRecord<byte[], byte[]>> all(String topic) {
    return all.stream().filter(r -> r.topic().equals(topic)).toList();
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
    running = false;
  }

  public static void createTopicsForTest(String bootstrap, String... topics) {
    createTopics(bootstrap, topics);
  }

  /** Creates missing topics (3 partitions) and returns each topic's partition count. */
  static Map<String, Integer> createTopics(String bootstrap, String... topics) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      Set<String> existing = admin.listTopics().names().get();
      Collection<NewTopic> missing =
          java.util.Arrays.stream(topics)
              .filter(t -> !existing.contains(t))
              .map(t -> new NewTopic(t, 3, (short) 1))
              .toList();
      try {
        admin.createTopics(missing).all().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      Map<String, Integer> counts = new java.util.HashMap<>();
      // a topic created a moment ago may not be described yet
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(
              () -> {
                admin
                    .describeTopics(java.util.Arrays.asList(topics))
                    .allTopicNames()
                    .get()
                    .forEach(
                        (name, description) -> counts.put(name, description.partitions().size()));
                return counts.size() == topics.length;
              });
      return counts;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
