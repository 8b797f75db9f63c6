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

  public TopicWatcher(String bootstrap, String... topics) {
    createTopics(bootstrap, topics);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(props);
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer.partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // resolve "end" now, before any test produces
    thread = new Thread(this::run, "topic-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        all.add(record);
        String key = record.key() == null ? "" : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
        byKey.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(record);
      }
    }
    consumer.close();
  }

  /** Records on {@code topic} with {@code key}, as seen so far. */
  public List<ConsumerRecord<byte[], byte[]>> records(String topic, String key) {
    return byKey.getOrDefault(key, List.of()).stream().filter(r -> r.topic().equals(topic)).toList();
  }

  public List<ConsumerRecord<byte[], byte[]>> all(String topic) {
    return all.stream().filter(r -> r.topic().equals(topic)).toList();
  }

  /** Waits until {@code topic} has at least {@code count} records with {@code key}. */
  public List<ConsumerRecord<byte[], byte[]>> await(String topic, String key, int count, Duration timeout) {
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

  static void createTopics(String bootstrap, String... topics) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      Set<String> existing = admin.listTopics().names().get();
      Collection<NewTopic> missing =
          java.util.Arrays.stream(topics).filter(t -> !existing.contains(t)).map(t -> new NewTopic(t, 3, (short) 1)).toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
