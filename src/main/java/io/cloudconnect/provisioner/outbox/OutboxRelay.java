package io.cloudconnect.provisioner.outbox;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.persistence.OutboxEvent;
import io.cloudconnect.provisioner.persistence.OutboxRepository;
import io.cloudconnect.provisioner.tracing.RequestTraces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows as CloudEvents (binary mode, keyed by request_id) and marks them sent once
 * Kafka acknowledged them (acks=all, idempotent producer). A crash between the acknowledgement and
 * the mark publishes the row again with the same {@code ce_id}, which consumers de-duplicate. Rows
 * are claimed with a lease so that replicas do not publish the same row concurrently.
 */
@ApplicationScoped
public class OutboxRelay {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

  private final OutboxRepository outbox;
  private final MutinyEmitter<String> events;
  private final ProvisionerConfig config;
  private final Clock clock;
  private final URI source;
  private final OutcomeMetrics outcomes;
  private final RequestTraces traces;

  OutboxRelay(
      OutboxRepository outbox,
      @Channel("events") MutinyEmitter<String> events,
      ProvisionerConfig config,
      Clock clock,
      OutcomeMetrics outcomes,
      RequestTraces traces) {
    this.traces = traces;
    this.outcomes = outcomes;
    this.outbox = outbox;
    this.events = events;
    this.config = config;
    this.clock = clock;
    this.source = URI.create(config.events().source());
  }

  /**
   * How long Kafka can take to answer a send: the events channel's {@code max.block.ms} 20 s plus
   * {@code delivery.timeout.ms} 120 s, and a little. A pass may last this long (its timeout); the
   * claims on its events are renewed meanwhile ({@link ClaimKeeper}), so that no other replica
   * publishes an event again while its acknowledgement is on the way, while the events of a replica
   * that died are taken over within one claim, not within this.
   */
  public static final Duration LONGEST_SEND = Duration.ofSeconds(150);

  /** One pass: claims a batch of unsent events, publishes them, marks the acknowledged ones. */
  public Uni<Void> relay() {
    Duration claim = config.outbox().claim();
    return outbox
        .claimUnsent(clock.instant(), config.outbox().batchSize(), claim)
        .chain(batch -> publishAll(batch, claim));
  }

  private Uni<Void> publishAll(List<OutboxEvent> batch, Duration claim) {
    if (batch.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    ClaimKeeper keeper =
        ClaimKeeper.start(
            batch.stream().map(OutboxEvent::id).toList(),
            claim,
            claimed -> outbox.extendClaims(claimed.ids(), clock.instant().plus(claim)));
    List<Uni<Optional<String>>> sends = batch.stream().map(this::publish).toList();
    return Uni.join()
        .all(sends)
        .andFailFast()
        .onTermination()
        .invoke(keeper::stop)
        .chain(
            results -> {
              List<String> sent = results.stream().flatMap(Optional::stream).toList();
              List<String> refused =
                  batch.stream().map(OutboxEvent::id).filter(id -> !sent.contains(id)).toList();
              Uni<Void> release =
                  refused.isEmpty()
                      ? Uni.createFrom().voidItem()
                      : outbox.releaseClaims(refused).replaceWithVoid();
              return release.chain(
                  () ->
                      sent.isEmpty()
                          ? Uni.createFrom().voidItem()
                          : markSent(sent)
                              .invoke(
                                  () ->
                                      outcomes.published(
                                          batch.stream()
                                              .filter(e -> sent.contains(e.id()))
                                              .toList())));
            });
  }

  /**
   * The event's id when Kafka acknowledged it; empty when it stays for the next pass. Published in
   * the request's trace: the Kafka producer's span is a child of this one and writes its {@code
   * traceparent} header, and the event carries the trace as the CloudEvents distributed-tracing
   * extension ({@code ce_traceparent}).
   */
  private Uni<Optional<String>> publish(OutboxEvent event) {
    return traces.within(
        "publish " + event.type(),
        event.traceParent(),
        event.requestId(),
        null,
        span -> send(event, span));
  }

  private Uni<Optional<String>> send(OutboxEvent event, Span span) {
    return events
        .sendMessage(toMessage(event, span))
        .replaceWith(Optional.of(event.id()))
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf(
                  "event %s for request %s not published yet: %s",
                  event.id(), event.requestId(), e.toString());
              return Optional.empty();
            });
  }

  private Uni<Void> markSent(List<String> ids) {
    return outbox.markSent(ids, clock.instant());
  }

  private Message<String> toMessage(OutboxEvent event, Span span) {
    var cloudEvent =
        OutgoingCloudEventMetadata.builder()
            .withId(event.id())
            .withType(event.type())
            .withSource(source)
            .withSubject(event.requestId())
            .withTimestamp(event.occurredAt().atZone(ZoneOffset.UTC))
            .withDataContentType("application/json");
    String traceParent = RequestTraces.traceParentOf(span);
    if (traceParent != null) {
      cloudEvent.withExtension("traceparent", traceParent);
    }
    OutgoingKafkaRecordMetadata<String> kafka =
        OutgoingKafkaRecordMetadata.<String>builder().withKey(event.requestId()).build();
    TracingMetadata tracing = TracingMetadata.withCurrent(Context.root().with(span));
    return Message.of(event.payload(), Metadata.of(cloudEvent.build(), kafka, tracing));
  }
}
