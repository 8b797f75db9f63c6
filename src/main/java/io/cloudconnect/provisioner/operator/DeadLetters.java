package io.cloudconnect.provisioner.operator;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cloudconnect.provisioner.secrets.DeadLetterSealing;
import io.cloudconnect.provisioner.secrets.PskVault;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The dead-letter topic as operators see it: the latest records' positions, sizes and error codes
 * (never their content), and the replay of one record onto the requests topic as it was published
 * (its sealed pre-shared keys opened again, {@link DeadLetterSealing}), once its cause is fixed
 * (e.g. a producer resent it with the bad field corrected, or intake failed for a reason now gone).
 * Blocking Kafka clients from the connector's own settings ({@code kafka.*}, TLS and SASL
 * included), called on worker threads: one reader, kept and used by one call at a time, and a
 * listing reused for a few seconds, so that a console left open (or many) costs the broker one
 * short read now and then, not a new client per refresh.
 */
@ApplicationScoped
class DeadLetters {
  static final String REPLAYED_FROM = "cloudconnect-replayed-from";

  /** One dead-lettered record, without its content. */
  record Entry(
      int partition,
      long offset,
      Instant timestamp,
      String key,
      int bytes,
      @JsonProperty("error_code") String errorCode,
      @JsonProperty("replayed_from") String replayedFrom) {}

  /** A dead-lettered record whose sealed key cannot be opened (its key was rotated away). */
  static final class Unopenable extends RuntimeException {
    Unopenable(String message) {
      super(message);
    }
  }

  /** How long a listing is answered again without reading the topic. */
  static final Duration LISTING_REUSED_FOR = Duration.ofSeconds(5);

  private record Listing(int limit, long readAt, List<Entry> entries) {}

  private final Object readerLock = new Object();
  private KafkaConsumer<byte[], byte[]> reader;
  private volatile Listing listing;
  private final Map<String, Object> kafka;
  private final String deadLetterTopic;
  private final String requestsTopic;
  private final DeadLetterSealing sealing;

  DeadLetters(
      PskVault vault,
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "mp.messaging.incoming.requests.dead-letter-queue.topic")
          String deadLetterTopic,
      @ConfigProperty(name = "mp.messaging.incoming.requests.topic") String requestsTopic) {
    this.kafka = kafka;
    this.deadLetterTopic = deadLetterTopic;
    this.requestsTopic = requestsTopic;
    this.sealing = new DeadLetterSealing(vault);
  }

  /** The last {@code limit} records, newest first (at most {@code limit} read per partition). */
  List<Entry> latest(int limit) {
    Listing last = listing;
    if (last != null
        && last.limit() >= limit
        && System.nanoTime() - last.readAt() < LISTING_REUSED_FOR.toNanos()) {
      return List.copyOf(last.entries().subList(0, Math.min(limit, last.entries().size())));
    }
    List<Entry> entries = read(consumer -> read(consumer, limit));
    listing = new Listing(limit, System.nanoTime(), entries);
    return entries;
  }

  private List<Entry> read(KafkaConsumer<byte[], byte[]> consumer, int limit) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(deadLetterTopic, Duration.ofSeconds(10)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
    Map<TopicPartition, Long> starts =
        consumer.beginningOffsets(partitions, Duration.ofSeconds(10));
    long wanted = 0;
    for (TopicPartition tp : partitions) {
      long from = Math.max(starts.get(tp), ends.get(tp) - limit);
      consumer.seek(tp, from);
      wanted += ends.get(tp) - from;
    }
    List<Entry> entries = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (entries.size() < wanted && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
          entries.add(entry(r));
        }
      }
    }
    entries.sort(Comparator.comparing(Entry::timestamp).reversed());
    return entries.size() > limit ? List.copyOf(entries.subList(0, limit)) : entries;
  }

  /**
   * Runs {@code work} with the one reader, made on first use; a reader that failed is closed and
   * made again next time (its state after a timeout is not to be trusted).
   */
  private <T> T read(java.util.function.Function<KafkaConsumer<byte[], byte[]>, T> work) {
    synchronized (readerLock) {
      if (reader == null) {
        reader = consumer();
      }
      try {
        T result = work.apply(reader);
        reader.assign(List.of());
        return result;
      } catch (RuntimeException e) {
        reader.close(Duration.ofSeconds(1));
        reader = null;
        throw e;
      }
    }
  }

  @jakarta.annotation.PreDestroy
  void close() {
    synchronized (readerLock) {
      if (reader != null) {
        reader.close(Duration.ofSeconds(1));
        reader = null;
      }
    }
  }

  /** Publishes the record at {@code partition}/{@code offset} to the requests topic again. */
  Optional<Entry> replay(int partition, long offset) {
    ConsumerRecord<byte[], byte[]> found = read(consumer -> recordAt(consumer, partition, offset));
    if (found == null) {
      return Optional.empty();
    }
    byte[] value;
    try {
      value = sealing.restore(found.value());
    } catch (IllegalStateException e) {
      throw new Unopenable(
          "the record's pre-shared key cannot be opened (sealed with a key no longer configured"
              + " in cloudconnect.secrets.psk-previous-keys); ask its producer to publish it again");
    }
    ProducerRecord<byte[], byte[]> again = new ProducerRecord<>(requestsTopic, found.key(), value);
    again
        .headers()
        .add(
            REPLAYED_FROM,
            (deadLetterTopic + "-" + partition + "@" + offset).getBytes(StandardCharsets.UTF_8));
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      producer.send(again).get();
      listing = null; // the replay is news: the next listing reads again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("replay not published: " + e.getCause(), e);
    }
    return Optional.of(entry(found));
  }

  /** The record at partition/offset of the dead-letter topic, or null. */
  private ConsumerRecord<byte[], byte[]> recordAt(
      KafkaConsumer<byte[], byte[]> consumer, int partition, long offset) {
    TopicPartition tp = new TopicPartition(deadLetterTopic, partition);
    consumer.assign(List.of(tp));
    long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
    if (offset < 0 || offset >= end) {
      return null;
    }
    consumer.seek(tp, offset);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        if (r.offset() == offset) {
          return r;
        }
      }
    }
    return null;
  }

  private static Entry entry(ConsumerRecord<byte[], byte[]> r) {
    return new Entry(
        r.partition(),
        r.offset(),
        Instant.ofEpochMilli(r.timestamp()),
        r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
        r.value() == null ? 0 : r.value().length,
        header(r, "cloudconnect-error-code"),
        header(r, REPLAYED_FROM));
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Map<String, Object> props = client();
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> props = client();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The connector's client settings that apply to any client (bootstrap, TLS, SASL). */
  private Map<String, Object> client() {
    Map<String, Object> props = new HashMap<>();
    kafka.forEach(
        (key, value) -> {
          if (key.equals("bootstrap.servers")
              || key.startsWith("security.")
              || key.startsWith("ssl.")
              || key.startsWith("sasl.")) {
            props.put(key, value);
          }
        });
    props.put("client.id", "cloudconnect-operator-" + Long.toHexString(System.nanoTime()));
    return props;
  }
}
