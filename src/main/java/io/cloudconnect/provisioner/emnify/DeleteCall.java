package io.cloudconnect.provisioner.emnify;

import io.cloudconnect.provisioner.saga.DeleteOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One delete call, its answer classified as a {@link DeleteOutcome}; it never fails. Only a 4xx
 * other than 404 and 409 is final: 409 is emnify's "not in status 7 or 8", which passes; 404 means
 * there is nothing left to delete.
 */
@ApplicationScoped
public class DeleteCall {
  private final EmnifyClient emnify;

  DeleteCall(EmnifyClient emnify) {
    this.emnify = emnify;
  }

  public Uni<DeleteOutcome> send(long attachmentId) {
    return emnify
        .delete(attachmentId)
        .<DeleteOutcome>map(nothing -> new DeleteOutcome.Accepted())
        .onFailure()
        .recoverWithItem(t -> outcomeOf(UpstreamFailures.classify(t, "delete attachment")));
  }

  static DeleteOutcome outcomeOf(UpstreamException failure) {
    return switch (failure.kind()) {
      case NOT_FOUND -> new DeleteOutcome.Gone();
      case REJECTED ->
          failure.status() == 409
              ? new DeleteOutcome.NotNow(failure.getMessage())
              : new DeleteOutcome.Refused(failure.getMessage());
      default -> new DeleteOutcome.NotNow(failure.getMessage());
    };
  }
}
