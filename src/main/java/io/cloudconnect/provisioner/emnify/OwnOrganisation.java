package io.cloudconnect.provisioner.emnify;

import io.cloudconnect.provisioner.config.EmnifyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Which emnify organisation this service's attachments live in. Every list is filtered by it: with
 * a Master organisation's token the unfiltered list shows the child organisations' attachments and
 * not the Master's own, so an ambiguous create would never be found by its marker and would be
 * created again, and a child's attachment carrying a look-alike marker could be adopted. Learned
 * once from {@code GET /api/v1/organisation/my} (the organisation of the application token; one
 * call per process), or set with {@code emnify.organisation-id}. Until it is known no list is read,
 * so nothing is concluded from a list of the wrong organisation.
 */
@ApplicationScoped
public class OwnOrganisation {
  private static final Logger LOG = Logger.getLogger(OwnOrganisation.class);

  private final EmnifyClient emnify;
  private final AtomicReference<Long> known = new AtomicReference<>();

  OwnOrganisation(EmnifyClient emnify, EmnifyConfig config) {
    this.emnify = emnify;
    config.organisationId().ifPresent(known::set);
  }

  /** The organisation's id; asks emnify the first time (a failure is retried on the next call). */
  public Uni<Long> id() {
    Long id = known.get();
    if (id != null) {
      return Uni.createFrom().item(id);
    }
    return emnify
        .myOrganisationId()
        .invoke(
            learned -> {
              if (known.compareAndSet(null, learned)) {
                LOG.infof(
                    "emnify organisation %d: every attachment list is filtered by it", learned);
              }
            });
  }
}
