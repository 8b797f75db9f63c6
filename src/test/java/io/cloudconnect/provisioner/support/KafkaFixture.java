package io.cloudconnect.provisioner.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** The real broker the service under test uses: a producer for requests and a shared watcher. */
public final class KafkaFixture {
  public static final String REQUESTS = "cloudconnect.attachment.requests";
  public static final String EVENTS = "cloudconnect.attachment.events";
  public static final String DLQ = "cloudconnect.attachment.requests.dlq";

  private static KafkaFixture instance;

  private final KafkaProducer<byte[], byte[]> producer;
  private final TopicWatcher watcher;

  private KafkaFixture(String bootstrap) {
    TopicWatcher.createTopics(bootstrap, REQUESTS);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    producer = new KafkaProducer<>(props);
    watcher = new TopicWatcher(bootstrap, EVENTS, DLQ);
  }

  /** Shared by all tests of the JVM; the bootstrap servers are the service's own. */
  public static synchronized KafkaFixture get() {
    if (instance == null) {
      String bootstrap =
          ConfigProvider.getConfig()
              .getOptionalValue("kafka.bootstrap.servers", String.class)
              .orElse("127.0.0.1:9092");
      instance = new KafkaFixture(bootstrap);
    }
    return instance;
  }

  public TopicWatcher watcher() {
    return watcher;
  }

  public void send(String key, String value) {
    send(
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8),
        List.of());
  }

  /** Publishes many records without waiting for each; returns once all are acknowledged. */
  public void sendAll(List<ProducerRecord<byte[], byte[]>> records) {
    List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
    records.forEach(r -> sent.add(producer.send(r)));
    producer.flush();
    for (java.util.concurrent.Future<?> future : sent) {
      try {
        future.get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("could not publish a test record", e);
      }
    }
  }

  public void send(byte[] key, byte[] value, List<Header> headers) {
    try {
      producer
          .send(new ProducerRecord<>(REQUESTS, null, key, value, headers))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not publish a test record", e);
    }
  }
}
