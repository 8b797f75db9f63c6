package io.cloudconnect.provisioner.intake;

import io.cloudconnect.provisioner.secrets.DeadLetterSealing;
import io.cloudconnect.provisioner.secrets.PskVault;
import io.quarkus.arc.Arc;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value serializer of the requests channel's dead-letter topic
 * (mp.messaging.incoming.requests.dead-letter-queue.value.serializer): every record dead-lettered,
 * by any path, has its pre-shared keys sealed before it is written ({@link DeadLetterSealing}).
 * Kafka makes this instance itself, so the vault is taken from the application's container.
 */
public class SealingDeadLetterSerializer implements Serializer<byte[]> {
  private volatile DeadLetterSealing sealing;

  @Override
  public byte[] serialize(String topic, byte[] data) {
    return sealing().seal(data);
  }

  private DeadLetterSealing sealing() {
    DeadLetterSealing current = sealing;
    if (current == null) {
      current = new DeadLetterSealing(Arc.container().instance(PskVault.class).get());
      sealing = current;
    }
    return current;
  }
}
