package io.cloudconnect.provisioner.intake;

import io.cloudconnect.provisioner.intake.RecordContent.Unreadable;
import io.cloudconnect.provisioner.metrics.Deferrals;
import io.cloudconnect.provisioner.provisioning.Arrival;
import io.cloudconnect.provisioner.tracing.RequestTraces;
import io.cloudconnect.provisioner.validation.ErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * Kafka intake, a batch of records at a time (what one poll returned, up to {@code
 * max.poll.records}): every readable record is validated, then the whole batch is stored in one
 * transaction, and only after that commit is each record acknowledged (its offset committable), so
 * a crash before it redelivers the batch and the request_ids make the redelivery change nothing. A
 * record nobody can answer is nacked alone, which the channel's dead-letter strategy turns into a
 * byte-for-byte copy on the dead-letter topic. A database outage is retried here, holding the
 * partitions, because no request can be recorded while it lasts and none may be dropped; any other
 * failure of a batch falls back to storing its records one by one, so one bad record cannot take
 * its neighbours with it.
 */
@ApplicationScoped
public class RequestConsumer {
  private static final Logger LOG = Logger.getLogger(RequestConsumer.class);
  static final String ERROR_CODE_HEADER = "cloudconnect-error-code";
  private static final int RECORD_ATTEMPTS = 5;

  private final RecordReader reader;
  private final RequestIntake intake;
  private final MeterRegistry metrics;
  private final RequestTraces traces;
  private final Deferrals deferrals;

  RequestConsumer(
      RecordReader reader,
      RequestIntake intake,
      MeterRegistry metrics,
      RequestTraces traces,
      Deferrals deferrals) {
    this.deferrals = deferrals;
    this.reader = reader;
    this.intake = intake;
    this.metrics = metrics;
    this.traces = traces;
  }

  @Incoming("requests")
  public Uni<Void> consume(KafkaRecordBatch<byte[], byte[]> batch) {
    List<Message<byte[]>> storable = new ArrayList<>();
    List<Arrival> arrivals = new ArrayList<>();
    List<String> fingerprints = new ArrayList<>();
    List<Message<byte[]>> unreadable = new ArrayList<>();
    List<Unreadable> why = new ArrayList<>();
    // each record starts its request's trace (continuing the producer's, if it sent one); the
    // span's context is stored with the saga, so the passes that act on it later continue it
    List<Span> spans = new ArrayList<>();
    for (KafkaRecord<byte[], byte[]> record : batch.getRecords()) {
      Span span = traces.startIntake(record, record.getHeaders());
      spans.add(span);
      try {
        RecordContent content = reader.read(record.getPayload());
        if (content instanceof Unreadable u) {
          span.setAttribute("cloudconnect.error_code", u.code().name());
          unreadable.add(record);
          why.add(u);
        } else {
          span.setAttribute(RequestTraces.REQUEST_ID, requestIdOf(content));
          Arrival arrival = traces.inChild(span, "validate request", () -> intake.prepare(content));
          String fingerprint = intake.fingerprint(content);
          storable.add(record);
          arrivals.add(Arrival.traced(arrival, RequestTraces.traceParentOf(span)));
          fingerprints.add(fingerprint);
        }
      } catch (RuntimeException e) {
        // a record the reader or the validator cannot cope with (a bug, not bad input: bad input
        // is refused with a code) goes to the dead-letter topic; its neighbours go on
        LOG.errorf(
            "record %s could not be read or validated: %s",
            position(record), e.getClass().getName());
        span.setAttribute("cloudconnect.error_code", ErrorCode.INTAKE_FAILED.name());
        unreadable.add(record);
        why.add(
            new Unreadable(
                ErrorCode.INTAKE_FAILED, "could not be read: " + e.getClass().getSimpleName()));
      }
    }
    // the database first, on this batch's context; acknowledging and dead-lettering afterwards
    // (a nack continues on the record's own context, where no session may be opened)
    return store(arrivals, fingerprints)
        .chain(
            stored ->
                inOrder(
                    storable.size() + unreadable.size(),
                    i ->
                        i < storable.size()
                            ? settle(storable.get(i), arrivals.get(i), stored.get(i))
                            : deadLetter(
                                unreadable.get(i - storable.size()), why.get(i - storable.size()))))
        .onFailure()
        .recoverWithUni(this::unsettled)
        .onTermination()
        .invoke(() -> spans.forEach(Span::end));
  }

  /**
   * A batch that failed in a way none of the above handles: the consumer must go on (a failed Uni
   * would end this channel for good). Its unsettled records are not committed, so a restart or a
   * rebalance brings them back; recording is idempotent.
   */
  private Uni<Void> unsettled(Throwable failure) {
    LOG.errorf(
        "a batch of requests was not settled (%s); its records come back after a rebalance or"
            + " restart",
        failure.toString());
    count("UNSETTLED");
    return Uni.createFrom().voidItem();
  }

  private static String requestIdOf(RecordContent content) {
    return content instanceof RecordContent.Request r
        ? r.requestId()
        : ((RecordContent.Refused) content).requestId();
  }

  /**
   * What became of one arrival: recorded as {@code outcome}, or not recordable ({@code failure}).
   */
  private record Stored(Arrival.Recorded outcome, Throwable failure) {}

  /**
   * The batch in one transaction; should that fail for anything but an outage (which is waited
   * out), each arrival alone, so that one bad record cannot take its neighbours with it.
   */
  private Uni<List<Stored>> store(List<Arrival> arrivals, List<String> fingerprints) {
    if (arrivals.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return untilTheDatabaseIsBack(
            () -> intake.recordAll(arrivals, fingerprints), arrivals.size() + " requests")
        .map(recorded -> recorded.stream().map(outcome -> new Stored(outcome, null)).toList())
        .onFailure()
        .recoverWithUni(
            failure -> {
              LOG.warnf(
                  "a batch of %d requests could not be recorded at once (%s); recording them one"
                      + " by one",
                  arrivals.size(), failure.toString());
              return Multi.createFrom()
                  .range(0, arrivals.size())
                  .onItem()
                  .transformToUniAndConcatenate(i -> storeOne(arrivals.get(i), fingerprints.get(i)))
                  .collect()
                  .asList();
            });
  }

  /** One arrival alone: a few more tries (e.g. two replicas racing on one request_id). */
  private Uni<Stored> storeOne(Arrival arrival, String fingerprint) {
    return untilTheDatabaseIsBack(
            () ->
                intake.recordAll(
                    List.of(arrival), java.util.Collections.singletonList(fingerprint)),
            "request " + arrival.requestId())
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .atMost(RECORD_ATTEMPTS)
        .map(recorded -> new Stored(recorded.get(0), null))
        .onFailure()
        .recoverWithItem(e -> new Stored(null, e));
  }

  /** Acknowledged once recorded (its batch committed); otherwise to the dead-letter topic. */
  private Uni<Void> settle(Message<byte[]> message, Arrival arrival, Stored stored) {
    if (stored.failure() != null) {
      return cannotRecord(message, arrival.requestId(), stored.failure());
    }
    count(stored.outcome().name());
    if (stored.outcome() == Arrival.Recorded.CONFLICT) {
      return deadLetter(
          message,
          new Unreadable(
              ErrorCode.IDEMPOTENCY_CONFLICT,
              "request_id "
                  + arrival.requestId()
                  + " was recorded before with other parameters; the first request stands"));
    }
    return Uni.createFrom().completionStage(message.ack());
  }

  private static Uni<Void> inOrder(int count, java.util.function.IntFunction<Uni<Void>> step) {
    if (count == 0) {
      return Uni.createFrom().voidItem();
    }
    return Multi.createFrom()
        .range(0, count)
        .onItem()
        .transformToUniAndConcatenate(step::apply)
        .collect()
        .last()
        .replaceWithVoid();
  }

  private static <T> Uni<T> untilTheDatabaseIsBack(Supplier<Uni<T>> store, String what) {
    return Uni.createFrom()
        .<T>deferred(store::get)
        .onFailure(DatabaseOutage::isOutage)
        .invoke(e -> LOG.warnf("%s wait for the database: %s", what, e.toString()))
        .onFailure(DatabaseOutage::isOutage)
        .retry()
        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
        .indefinitely();
  }

  /** One record that cannot be stored must not block its partition: it goes to the DLQ. */
  private Uni<Void> cannotRecord(Message<byte[]> message, String requestId, Throwable failure) {
    LOG.errorf(
        "request %s could not be recorded after %d attempts: %s",
        requestId, RECORD_ATTEMPTS, failure.toString());
    return deadLetter(
        message,
        new Unreadable(
            ErrorCode.INTAKE_FAILED,
            "request "
                + requestId
                + " could not be recorded: "
                + failure.getClass().getSimpleName()));
  }

  private Uni<Void> deadLetter(Message<byte[]> message, Unreadable unreadable) {
    LOG.warnf("record %s sent to the dead-letter topic: %s", position(message), unreadable.code());
    count("DEAD_LETTERED");
    RecordHeaders headers = new RecordHeaders();
    headers.add(ERROR_CODE_HEADER, unreadable.code().name().getBytes(StandardCharsets.UTF_8));
    Metadata dlqMetadata =
        Metadata.of(OutgoingKafkaRecordMetadata.builder().withHeaders(headers).build());
    // the record is acknowledged only once the dead-letter topic has it: a failed write (an ACL,
    // a missing topic, the broker) is tried again, holding this partition, never dropped
    return Uni.createFrom()
        .deferred(
            () ->
                Uni.createFrom()
                    .completionStage(
                        message.nack(new UnreadableRecordException(unreadable), dlqMetadata)))
        .onFailure()
        .invoke(
            e ->
                deferrals.deferred(
                    "intake",
                    "dead-letter-unwritable",
                    "record "
                        + position(message)
                        + " not yet on the dead-letter topic, tried again: "
                        + e.getClass().getSimpleName()))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(30))
        .indefinitely();
  }

  private void count(String outcome) {
    metrics.counter("cloudconnect.intake.records", "outcome", outcome).increment();
  }

  private static String position(Message<?> message) {
    return message
        .getMetadata(IncomingKafkaRecordMetadata.class)
        .map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset())
        .orElse("(unknown position)");
  }
}
