package io.cloudconnect.provisioner.status;

import static io.cloudconnect.provisioner.access.Roles.OPERATOR;
import static io.cloudconnect.provisioner.access.Roles.STATUS_READER;
import static io.cloudconnect.provisioner.access.Roles.VIEWER;

import io.cloudconnect.provisioner.persistence.SagaRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /attachments/{request_id}}: where a request stands, for a producer's portal (role
 * {@code status-reader}) or an operator.
 */
@Path("/attachments")
@Produces(MediaType.APPLICATION_JSON)
public class AttachmentStatusResource {
  private final SagaRepository sagas;

  AttachmentStatusResource(SagaRepository sagas) {
    this.sagas = sagas;
  }

  @GET
  @Path("/{requestId}")
  @RolesAllowed({STATUS_READER, VIEWER, OPERATOR})
  @WithSession
  public Uni<AttachmentStatus> byRequestId(@PathParam("requestId") String requestId) {
    return sagas
        .findById(requestId)
        .onItem()
        .ifNull()
        .failWith(() -> new NotFoundException("no request with request_id " + requestId))
        .map(AttachmentStatus::of);
  }
}
