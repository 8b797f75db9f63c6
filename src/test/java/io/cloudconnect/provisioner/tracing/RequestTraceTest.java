package io.cloudconnect.provisioner.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.provisioner.support.CollectedSpans;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.InjectSimulator;
import io.cloudconnect.provisioner.support.KafkaFixture;
import io.cloudconnect.provisioner.support.Outcomes;
import io.cloudconnect.provisioner.support.Requests;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One trace per request, through the timer-driven passes: the producer's trace context in the
 * request record is continued by the intake, the create call, the poller's read and the result
 * event, and the spans form one tree under the producer's span.
 */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class RequestTraceTest {
  private static final String PRODUCER_SPAN = "00f067aa0ba902b7";

  private final KafkaFixture kafka = KafkaFixture.get();
  @Inject CollectedSpans spans;
  @InjectSimulator EmnifySimulator simulator;

  @Test
  void aRequestIsOneTraceFromItsRecordToItsResultEvent() throws Exception {
    String traceId = randomTraceId();
    String id = Requests.newRequestId("traced");
    kafka.send(
        id.getBytes(StandardCharsets.UTF_8),
        Requests.staticVpn(id).toString().getBytes(StandardCharsets.UTF_8),
        List.of(
            new RecordHeader(
                "traceparent",
                ("00-" + traceId + "-" + PRODUCER_SPAN + "-01").getBytes(StandardCharsets.UTF_8)),
            new RecordHeader(
                "baggage", "tenant=acme,portal-session=s3cr3t".getBytes(StandardCharsets.UTF_8))));

    ConsumerRecord<byte[], byte[]> event =
        kafka.watcher().awaitOne(KafkaFixture.EVENTS, id, Duration.ofSeconds(30));
    Map<String, String> headers = Outcomes.headers(event);
    assertThat(headers.get("ce_type")).isEqualTo("cloudconnect.attachment.ready");
    // the CloudEvents distributed-tracing extension, and the W3C header the producer span wrote
    assertThat(headers.get("ce_traceparent")).matches("00-" + traceId + "-[0-9a-f]{16}-01");
    assertThat(headers.get("traceparent")).matches("00-" + traceId + "-[0-9a-f]{16}-01");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(names(spans.ofTrace(traceId)))
                    .contains(
                        "intake request",
                        "validate request",
                        "create attachment",
                        "publish cloudconnect.attachment.ready"));
    List<SpanData> trace = spans.ofTrace(traceId);
    Set<String> names = names(trace);
    // the emnify calls: the create, and the read that found it Active (REST client spans)
    assertThat(trace)
        .anySatisfy(
            s -> {
              assertThat(s.getName()).startsWith("POST");
              assertThat(s.getAttributes().asMap().toString()).contains("/cnc/breakout/vpn");
            });
    assertThat(names).containsAnyOf("read attachment", "look up attachment");
    assertThat(trace).anySatisfy(s -> assertThat(s.getName()).startsWith("GET"));
    // the Kafka producer's span of the result event
    assertThat(trace)
        .anySatisfy(
            s -> assertThat(s.getName()).isEqualTo("cloudconnect.attachment.events publish"));

    // one tree: the Kafka consumer's span hangs off the producer's span, the intake span off it,
    // every other span off one of them
    Set<String> ids = trace.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
    SpanData received = only(trace, "cloudconnect.attachment.requests receive");
    assertThat(received.getParentSpanId()).isEqualTo(PRODUCER_SPAN);
    SpanData intake = only(trace, "intake request");
    assertThat(intake.getParentSpanId()).isEqualTo(received.getSpanId());
    assertThat(intake.getAttributes().get(RequestTraces.REQUEST_ID)).isEqualTo(id);
    for (SpanData span : trace) {
      if (span != received) {
        assertThat(ids).as("parent of %s", span.getName()).contains(span.getParentSpanId());
      }
    }
    assertThat(only(trace, "create attachment").getParentSpanId()).isEqualTo(intake.getSpanId());
    assertThat(only(trace, "publish cloudconnect.attachment.ready").getParentSpanId())
        .isEqualTo(intake.getSpanId());
    assertThat(headers.get("ce_traceparent"))
        .contains(only(trace, "publish cloudconnect.attachment.ready").getSpanId());
    // the producer's baggage goes nowhere: not to emnify (a third party), not into the event
    assertThat(simulator.headerNames()).contains("authorization").doesNotContain("baggage");
    assertThat(headers).doesNotContainKey("baggage");
  }

  @Test
  void aRequestWithoutTraceContextStartsItsOwnTrace() throws Exception {
    String id = Requests.newRequestId("untraced");
    kafka.send(id, Requests.staticVpn(id).toString());

    ConsumerRecord<byte[], byte[]> event =
        kafka.watcher().awaitOne(KafkaFixture.EVENTS, id, Duration.ofSeconds(30));
    String traceParent = Outcomes.headers(event).get("ce_traceparent");
    assertThat(traceParent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    String traceId = traceParent.substring(3, 35);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              List<SpanData> trace = spans.ofTrace(traceId);
              SpanData received = only(trace, "cloudconnect.attachment.requests receive");
              assertThat(received.getParentSpanId()).isEqualTo("0000000000000000");
              SpanData intake = only(trace, "intake request");
              assertThat(intake.getParentSpanId()).isEqualTo(received.getSpanId());
              assertThat(intake.getAttributes().get(RequestTraces.REQUEST_ID)).isEqualTo(id);
            });
  }

  private static SpanData only(List<SpanData> trace, String name) {
    List<SpanData> named = trace.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named).as("spans named %s", name).hasSize(1);
    return named.get(0);
  }

  private static Set<String> names(List<SpanData> trace) {
    return new HashSet<>(trace.stream().map(SpanData::getName).toList());
  }

  private static String randomTraceId() {
    return java.util.UUID.randomUUID().toString().replace("-", "");
  }
}
