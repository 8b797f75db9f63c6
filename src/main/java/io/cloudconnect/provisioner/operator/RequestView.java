package io.cloudconnect.provisioner.operator;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.status.AttachmentStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * A request as the operator API lists it: its status, how old it is, and how long it has been in
 * emnify's current status (the dwell time the console shows for what is stuck).
 */
public record RequestView(
    AttachmentStatus status,
    @JsonProperty("age_seconds") long ageSeconds,
    @JsonProperty("in_emnify_status_seconds") Long inEmnifyStatusSeconds,
    @JsonProperty("psk_retrievable") boolean pskRetrievable) {

  static RequestView of(ProvisioningSaga saga, Instant now) {
    return new RequestView(
        AttachmentStatus.of(saga),
        seconds(saga.receivedAt(), now),
        saga.emnifyView().since() == null ? null : seconds(saga.emnifyView().since(), now),
        PskRetrieval.retrievable(saga));
  }

  private static long seconds(Instant from, Instant now) {
    return from == null ? 0 : Math.max(0, Duration.between(from, now).toSeconds());
  }
}
