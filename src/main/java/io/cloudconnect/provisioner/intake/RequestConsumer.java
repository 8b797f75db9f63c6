package io.cloudconnect.provisioner.intake;

import io.cloudconnect.provisioner.intake.RecordContent.Refused;
import io.cloudconnect.provisioner.intake.RecordContent.Request;
import io.cloudconnect.provisioner.intake.RecordContent.Unreadable;
import io.cloudconnect.provisioner.validation.ErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * Kafka intake. A record is acknowledged (and its offset becomes committable) only after {@link
 * RequestIntake} has committed it to PostgreSQL. A record nobody can answer is nacked, which the
 * channel's dead-letter strategy turns into a byte-for-byte copy on the dead-letter topic; the
 * consumer then moves on. A database outage is retried here, holding the partition, because no
 * request can be recorded while it lasts and none may be dropped.
 */
@ApplicationScoped
public class RequestConsumer {
  private static final Logger LOG = Logger.getLogger(RequestConsumer.class);
  static final String ERROR_CODE_HEADER = "cloudconnect-error-code";
  private static final int RECORD_ATTEMPTS = 5;

  private final RecordReader reader;
  private final RequestIntake intake;
  private final MeterRegistry metrics;

  RequestConsumer(RecordReader reader, RequestIntake intake, MeterRegistry metrics) {
    this.reader = reader;
    this.intake = intake;
    this.metrics = metrics;
  }

  @Incoming("requests")
  public Uni<Void> consume(Message<byte[]> message) {
    RecordContent content = reader.read(message.getPayload());
    if (content instanceof Unreadable unreadable) {
      return deadLetter(message, unreadable);
    }
    String requestId =
        content instanceof Request r ? r.requestId() : ((Refused) content).requestId();
    Supplier<Uni<RequestIntake.Outcome>> record =
        content instanceof Request request
            ? () -> intake.record(request)
            : () -> intake.refuse((Refused) content);
    return Uni.createFrom()
        .deferred(record::get)
        .onFailure(DatabaseOutage::isOutage)
        .invoke(e -> LOG.warnf("request %s waits for the database: %s", requestId, e.toString()))
        .onFailure(DatabaseOutage::isOutage)
        .retry()
        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
        .indefinitely()
        // anything else (e.g. two replicas racing on one request_id) gets a few more tries
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .atMost(RECORD_ATTEMPTS)
        .invoke(outcome -> count(outcome.name()))
        .chain(outcome -> Uni.createFrom().completionStage(message.ack()))
        .onFailure()
        .recoverWithUni(e -> cannotRecord(message, requestId, e));
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
    return Uni.createFrom()
        .completionStage(message.nack(new UnreadableRecordException(unreadable), dlqMetadata));
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
