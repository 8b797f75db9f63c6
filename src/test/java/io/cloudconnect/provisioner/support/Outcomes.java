package io.cloudconnect.provisioner.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.awaitility.Awaitility;

/** Waits for a request's result event and checks that it stays the only one. */
public final class Outcomes {
  public static final Duration TIMEOUT = Duration.ofSeconds(40);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Outcomes() {}

  /** The one event for {@code requestId}; fails if a second one follows within a second. */
  public static Event single(String requestId) {
    TopicWatcher watcher = KafkaFixture.get().watcher();
    watcher.awaitOne(KafkaFixture.EVENTS, requestId, TIMEOUT);
    Awaitility.await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> watcher.records(KafkaFixture.EVENTS, requestId).size() == 1);
    return Event.of(watcher.records(KafkaFixture.EVENTS, requestId).get(0));
  }

  public static Event failed(String requestId, String reason) {
    Event event = single(requestId);
    assertThat(event.type()).isEqualTo("cloudconnect.attachment.failed");
    assertThat(event.data().get("reason").asText()).isEqualTo(reason);
    return event;
  }

  public static Event ready(String requestId) {
    Event event = single(requestId);
    assertThat(event.type())
        .as("event for %s: %s", requestId, event.data())
        .isEqualTo("cloudconnect.attachment.ready");
    return event;
  }

  public static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
    return StreamSupport.stream(record.headers().spliterator(), false)
        .collect(
            Collectors.toMap(
                Header::key, h -> new String(h.value(), StandardCharsets.UTF_8), (a, b) -> b));
  }

  /** A result event: its headers and its JSON data. */
  public record Event(Map<String, String> headers, JsonNode data, String raw) {
    static Event of(ConsumerRecord<byte[], byte[]> record) {
      try {
        return new Event(
            Outcomes.headers(record),
            JSON.readTree(record.value()),
            new String(record.value(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public String type() {
      return headers.get("ce_type");
    }

    public List<String> errorCodes() {
      return StreamSupport.stream(data.get("errors").spliterator(), false)
          .map(e -> e.get("code").asText())
          .toList();
    }
  }
}
