package io.cloudconnect.provisioner.provisioning;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.persistence.SagaRepository;
import io.cloudconnect.provisioner.saga.Holding;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.validation.ErrorCode;
import io.cloudconnect.provisioner.validation.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * An adopt request on arrival: refused when a live request already holds the attachment (it would
 * be managed twice); otherwise watched like an accepted attachment until it is Active. That it
 * exists at all is emnify's to say: a 404 fails it like a vanished attachment.
 */
@ApplicationScoped
class Adoptions {
  private static final Logger LOG = Logger.getLogger(Adoptions.class);

  private final SagaRepository sagas;
  private final ProvisionerConfig config;

  Adoptions(SagaRepository sagas, ProvisionerConfig config) {
    this.sagas = sagas;
    this.config = config;
  }

  /** Records the adoption in the caller's unit of work; the violations when it is refused. */
  Uni<List<Violation>> receive(Arrival.Adopt adopt, Instant now) {
    return sagas
        .holdersOf(adopt.attachmentId())
        .chain(
            holders -> {
              if (holders.stream()
                  .anyMatch(h -> Holding.holdsAttachment(h.state(), h.compensation()))) {
                return Uni.createFrom()
                    .item(
                        List.of(
                            new Violation(
                                "target.attachment_id",
                                ErrorCode.ALREADY_MANAGED,
                                "attachment "
                                    + adopt.attachmentId()
                                    + " is already managed by another request")));
              }
              LOG.infof(
                  "request %s: adopting attachment %d", adopt.requestId(), adopt.attachmentId());
              return sagas
                  .persist(
                      ProvisioningSaga.adoptionReceived(
                              adopt.requestId(),
                              adopt.attachmentId(),
                              config.deployment().namespace(),
                              new ProvisioningSaga.Adoption(
                                  config.adoption().unmarked(), config.adoption().pskReadable()),
                              now,
                              config.provisioningTimeout())
                          .tracedBy(adopt.traceParent()))
                  .replaceWith(List.<Violation>of());
            });
  }
}
