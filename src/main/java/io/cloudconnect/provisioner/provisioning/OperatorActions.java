package io.cloudconnect.provisioner.provisioning;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.outbox.OutboxWriter;
import io.cloudconnect.provisioner.persistence.SagaRepository;
import io.cloudconnect.provisioner.persistence.Transactions;
import io.cloudconnect.provisioner.saga.Cancellation;
import io.cloudconnect.provisioner.saga.Compensation;
import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.RemovalPurpose;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** What an operator may do to one request, each in its own transaction. */
@ApplicationScoped
public class OperatorActions {
  private final SagaRepository sagas;
  private final Transactions tx;
  private final OutboxWriter outbox;
  private final ProvisionerConfig config;
  private final Clock clock;

  OperatorActions(
      SagaRepository sagas,
      Transactions tx,
      OutboxWriter outbox,
      ProvisionerConfig config,
      Clock clock) {
    this.sagas = sagas;
    this.tx = tx;
    this.outbox = outbox;
    this.config = config;
    this.clock = clock;
  }

  /** One request as it is now (read only); null when unknown. */
  public Uni<ProvisioningSaga> find(String requestId) {
    return tx.read(() -> sagas.findById(requestId));
  }

  /**
   * An operator cancels an in-flight request: like a delete request naming it, what it created is
   * deleted and it fails CANCELLED with its compensation. Empty when done, otherwise why not.
   */
  public Uni<Optional<String>> cancel(String requestId, String why) {
    return tx.write(
        () ->
            sagas
                .findById(requestId)
                .chain(
                    saga -> {
                      if (saga == null) {
                        return Uni.createFrom().item(Optional.of("no request " + requestId));
                      }
                      Instant now = clock.instant();
                      return switch (Cancellation.of(saga.state(), saga.createEvidence())) {
                        case NOTHING_SENT -> {
                          saga.fail(
                              FailureReason.CANCELLED,
                              "cancelled by " + why + " before its create call",
                              Compensation.NOT_NEEDED,
                              "nothing was created",
                              now);
                          yield outbox.failed(saga).replaceWith(Optional.<String>empty());
                        }
                        case REMOVE_WHAT_IT_CREATED -> {
                          saga.startRemoval(
                              RemovalPurpose.CANCEL,
                              FailureReason.CANCELLED,
                              "cancelled by " + why,
                              now,
                              config.compensation().timeout());
                          yield Uni.createFrom().item(Optional.<String>empty());
                        }
                        case TOO_LATE ->
                            Uni.createFrom()
                                .item(
                                    Optional.of(
                                        requestId
                                            + " is "
                                            + saga.state()
                                            + ", not in flight: only a request still being created can"
                                            + " be cancelled (a delete request removes a ready one)"));
                      };
                    }));
  }

  /**
   * Records the one-time read of the PSK emnify generated; false when it was read before (or the
   * request changed meanwhile).
   */
  public Uni<Boolean> pskRetrieved(String requestId, String by) {
    return tx.write(
        () ->
            sagas
                .findById(requestId)
                .map(saga -> saga != null && saga.pskRetrieved(by, clock.instant())));
  }
}
