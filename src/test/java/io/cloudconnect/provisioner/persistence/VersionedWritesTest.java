package io.cloudconnect.provisioner.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cloudconnect.provisioner.saga.Compensation;
import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.SagaState;
import io.cloudconnect.provisioner.support.CleanSlate;
import io.cloudconnect.provisioner.support.Db;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.ManualJobs;
import io.cloudconnect.provisioner.support.Requests;
import io.cloudconnect.provisioner.support.Specs;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A saga changed by another transaction after it was read here is never overwritten: the write
 * fails and nothing of the transaction stays, whether the stale saga is the only change or goes to
 * the database together with new rows (the statements are batched).
 */
@Tag("platform")
@QuarkusTest
@ExtendWith(CleanSlate.class)
@TestProfile(ManualJobs.class)
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class VersionedWritesTest {
  @Inject SagaRepository sagas;

  private String accepted() {
    return Db.acceptedRequest("versioned", Specs.staticVpn("Berlin"), "v1:sealed");
  }

  /**
   * Cancels {@code ids} in one transaction (with {@code alongside} written in it too), after {@code
   * stale} was changed by another transaction since they were read; what the commit threw.
   */
  private Throwable cancelAfterOneChangedElsewhere(
      List<String> ids, String stale, Function<ProvisioningSaga, Uni<Void>> alongside) {
    return catchThrowable(
        () ->
            Db.await(
                () ->
                    Panache.withTransaction(
                        () ->
                            sagas
                                .findAllById(ids)
                                .call(loaded -> Db.changedElsewhere(stale, "elsewhere"))
                                .call(
                                    loaded ->
                                        Multi.createFrom()
                                            .iterable(loaded)
                                            .onItem()
                                            .transformToUniAndConcatenate(
                                                saga -> {
                                                  saga.fail(
                                                      FailureReason.CANCELLED,
                                                      "cancelled",
                                                      Compensation.NOT_NEEDED,
                                                      "nothing was created",
                                                      Instant.now());
                                                  return alongside.apply(saga);
                                                })
                                            .collect()
                                            .asList())
                                .replaceWithVoid())));
  }

  private static Throwable rootOf(Throwable failure) {
    Throwable at = failure;
    while (at != null && !(at instanceof OptimisticLockException) && at.getCause() != null) {
      at = at.getCause();
    }
    return at;
  }

  @Test
  void aStaleSagaAloneIsNotWritten() {
    String id = accepted();

    Throwable failure =
        cancelAfterOneChangedElsewhere(List.of(id), id, saga -> Uni.createFrom().voidItem());

    assertThat(rootOf(failure)).isInstanceOf(OptimisticLockException.class);
    ProvisioningSaga saga = Db.saga(id);
    assertThat(saga.state()).isEqualTo(SagaState.RECEIVED);
    assertThat(saga.lastError()).isEqualTo("elsewhere");
  }

  @Test
  void aStaleSagaWrittenWithNewRowsIsNotWrittenAndNeitherAreThey() {
    String id = accepted();
    String deleteId = Requests.newRequestId("versioned-delete");

    Throwable failure =
        cancelAfterOneChangedElsewhere(
            List.of(id),
            id,
            saga ->
                sagas
                    .persist(
                        ProvisioningSaga.deleteReceived(
                            deleteId,
                            saga,
                            Instant.now(),
                            Instant.now().plus(Duration.ofMinutes(5))))
                    .replaceWithVoid());

    assertThat(rootOf(failure)).isInstanceOf(OptimisticLockException.class);
    assertThat(Db.saga(id).state()).isEqualTo(SagaState.RECEIVED);
    assertThat(Db.saga(deleteId)).isNull();
  }

  /** Several sagas written in one batch, one of them stale (first, in the middle, last). */
  @Test
  void aStaleSagaAmongOthersInOneBatchFailsTheBatch() {
    for (int stale = 0; stale < 3; stale++) {
      Db.clear();
      List<String> ids = List.of(accepted(), accepted(), accepted());
      String staleId = ids.get(stale);

      Throwable failure =
          cancelAfterOneChangedElsewhere(ids, staleId, saga -> Uni.createFrom().voidItem());

      assertThat(rootOf(failure))
          .as("stale at %d", stale)
          .isInstanceOf(OptimisticLockException.class);
      for (String id : ids) {
        assertThat(Db.saga(id).state()).as("stale at %d", stale).isEqualTo(SagaState.RECEIVED);
      }
    }
  }
}
