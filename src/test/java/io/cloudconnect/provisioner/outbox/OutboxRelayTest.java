package io.cloudconnect.provisioner.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.persistence.OutboxEvent;
import io.cloudconnect.provisioner.persistence.OutboxRepository;
import io.cloudconnect.provisioner.support.CleanSlate;
import io.cloudconnect.provisioner.support.Db;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.KafkaFixture;
import io.cloudconnect.provisioner.support.ManualJobs;
import io.cloudconnect.provisioner.support.Outcomes;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The outbox relay against the real database and broker, one pass at a time: an event is published
 * as a CloudEvent keyed by its request, marked sent after Kafka's acknowledgement, and not again.
 */
@Tag("platform")
@QuarkusTest
@ExtendWith(CleanSlate.class)
@TestProfile(ManualJobs.class)
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class OutboxRelayTest {
  @Inject OutboxRelay relay;
  @Inject OutboxRepository outbox;

  private final KafkaFixture kafka = KafkaFixture.get();

  private static String refused() {
    return Db.refusedRequest("relay");
  }

  @Test
  void eventIsPublishedOnceAsACloudEventAndMarkedSent() {
    String id = refused();
    OutboxEvent written = Db.outbox(id).get(0);
    assertThat(written.sentAt()).isNull();

    Db.await(() -> relay.relay());

    ConsumerRecord<byte[], byte[]> record =
        kafka.watcher().awaitOne(KafkaFixture.EVENTS, id, Duration.ofSeconds(10));
    assertThat(Outcomes.headers(record))
        .containsEntry("ce_id", written.id())
        .containsEntry("ce_type", "cloudconnect.attachment.failed")
        .containsEntry("ce_subject", id);
    assertThat(new String(record.value())).isEqualTo(written.payload());
    OutboxEvent sent = Db.outbox(id).get(0);
    assertThat(sent.sentAt()).isNotNull();
    assertThat(sent.attempts()).isEqualTo(1);

    Db.await(() -> relay.relay());
    assertThat(kafka.watcher().records(KafkaFixture.EVENTS, id)).hasSize(1);
  }
}
