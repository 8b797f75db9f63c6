package io.cloudconnect.provisioner.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.support.Db;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.KafkaFixture;
import io.cloudconnect.provisioner.support.Outcomes;
import io.cloudconnect.provisioner.support.Requests;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Intake stores a poll's records in one transaction; a record the database refuses (here a trigger
 * that rejects one request_id, standing in for any fault of one row) must not take the others of
 * its batch with it: the batch falls back to one record at a time, the others are recorded, the bad
 * one goes to the dead-letter topic, each with exactly one answer.
 */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class IntakeBatchTest {
  private final KafkaFixture kafka = KafkaFixture.get();

  @AfterEach
  void dropTrigger() {
    sql(
        "drop trigger if exists refuse_poison on provisioning_saga;"
            + " drop function if exists refuse_poison()");
  }

  @Test
  void oneRecordTheDatabaseRefusesLeavesTheRestOfItsBatchRecorded() {
    sql(
        "create function refuse_poison() returns trigger language plpgsql as $$ begin"
            + " if new.request_id like '%-poison' then raise exception 'refused for the test';"
            + " end if; return new; end $$;"
            + " create trigger refuse_poison before insert on provisioning_saga"
            + " for each row execute function refuse_poison()");
    String prefix = Requests.newRequestId("batch");
    List<String> ids = new ArrayList<>();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      String id = prefix + "-" + i + (i == 4 ? "-poison" : "");
      ids.add(id);
      // one partition, published together: one poll, one batch
      records.add(
          new ProducerRecord<>(
              KafkaFixture.REQUESTS,
              0,
              id.getBytes(StandardCharsets.UTF_8),
              Requests.staticVpn(id).toString().getBytes(StandardCharsets.UTF_8)));
    }

    kafka.sendAll(records);

    String poison = ids.get(4);
    ConsumerRecord<byte[], byte[]> dead =
        kafka.watcher().awaitOne(KafkaFixture.DLQ, poison, Outcomes.TIMEOUT);
    assertThat(Outcomes.headers(dead).get("cloudconnect-error-code")).isEqualTo("INTAKE_FAILED");
    Awaitility.await()
        .atMost(Outcomes.TIMEOUT)
        .untilAsserted(
            () -> {
              for (String id : ids) {
                if (!id.equals(poison)) {
                  assertThat(Db.saga(id)).as(id).isNotNull();
                }
              }
            });
    assertThat(Db.saga(poison)).isNull();
    assertThat(kafka.watcher().records(KafkaFixture.DLQ, poison)).hasSize(1);
    for (String id : ids) {
      if (!id.equals(poison)) {
        assertThat(kafka.watcher().records(KafkaFixture.DLQ, id)).as(id).isEmpty();
      }
    }
  }

  private static void sql(String statements) {
    Pool pool = Arc.container().instance(Pool.class).get();
    Db.await(() -> pool.query(statements).execute().replaceWithVoid());
  }
}
