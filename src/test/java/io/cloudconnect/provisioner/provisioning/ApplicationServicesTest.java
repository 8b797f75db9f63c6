package io.cloudconnect.provisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.saga.CreateOutcome;
import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.Observation;
import io.cloudconnect.provisioner.saga.ProgressRule;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.SagaState;
import io.cloudconnect.provisioner.saga.Step;
import io.cloudconnect.provisioner.support.CleanSlate;
import io.cloudconnect.provisioner.support.Db;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.ManualJobs;
import io.cloudconnect.provisioner.support.Requests;
import io.cloudconnect.provisioner.support.Specs;
import io.cloudconnect.provisioner.validation.ErrorCode;
import io.cloudconnect.provisioner.validation.Violation;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The application service against the real database: each saga change commits together with the
 * event it causes, a request_id is recorded once, and an ended saga is never changed again.
 */
@Tag("platform")
@QuarkusTest
@ExtendWith(CleanSlate.class)
@TestProfile(ManualJobs.class)
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class ApplicationServicesTest {
  @Inject Arrivals arrivals;
  @Inject Creations creations;
  @Inject Observations observations;

  private String accepted() {
    return Db.acceptedRequest("steps", Specs.staticVpn("Berlin"), "v1:sealed");
  }

  @Test
  void requestIdIsRecordedOnceWhateverComesLater() {
    String id = accepted();

    assertThat(Db.await(() -> arrivals.accept(id, Specs.staticVpn("Munich"), null))).isFalse();
    Violation violation = new Violation("attachment.name", ErrorCode.NAME_BLANK, "is blank");
    assertThat(Db.await(() -> arrivals.refuse(id, List.of(violation)))).isFalse();

    ProvisioningSaga saga = Db.saga(id);
    assertThat(saga.state()).isEqualTo(SagaState.RECEIVED);
    assertThat(saga.name()).isEqualTo("Berlin");
    assertThat(saga.psk().sealed()).isEqualTo("v1:sealed");
    assertThat(saga.specJson()).contains("\"public_ip\":\"91.64.22.5\"");
    assertThat(Db.outbox(id)).isEmpty();
  }

  @Test
  void refusalAndItsFailedEventAreWrittenTogether() {
    String id = Requests.newRequestId("steps");
    Violation violation = new Violation("attachment.type", ErrorCode.TYPE_UNSUPPORTED, "is 9");

    assertThat(Db.await(() -> arrivals.refuse(id, List.of(violation)))).isTrue();

    assertThat(Db.saga(id).failureReason()).isEqualTo(FailureReason.VALIDATION_FAILED);
    assertThat(Db.outbox(id))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.payload())
                    .contains("\"reason\":\"VALIDATION_FAILED\"")
                    .contains("\"code\":\"TYPE_UNSUPPORTED\"")
                    .contains("\"retryable\":false"));
  }

  private CreateClaim claim(String id, String owner) {
    List<CreateClaim> claims = Db.await(() -> creations.claimDueCreates(owner, 10));
    return claims.stream().filter(c -> c.requestId().equals(id)).findFirst().orElseThrow();
  }

  /** The claim runs out mid-call; the poller's next complete list lacks the attachment. */
  private void expireClaimAndObserve(String id) {
    Db.expireClaim(id);
    Db.await(
        () ->
            observations.learned(
                id, ProgressRule.listed(Optional.empty(), Instant.now(), true), null));
  }

  @Test
  void outcomeOfAClaimTakenOverIsNotRecorded() {
    String id = accepted();
    CreateClaim claim = claim(id, "replica-a");

    Db.await(
        () -> creations.recordCreateOutcome(claim, "replica-b", new CreateOutcome.Created(4711)));

    ProvisioningSaga saga = Db.saga(id);
    assertThat(saga.state()).isEqualTo(SagaState.CREATING);
    assertThat(saga.attachmentId()).isNull();
  }

  @Test
  void createdOutcomeErasesThePskAndReleasesTheClaim() {
    String id = accepted();
    CreateClaim claim = claim(id, "replica-a");
    assertThat(claim.attempt()).isEqualTo(1);
    assertThat(Db.saga(id).lease().owner()).isEqualTo("replica-a");

    Db.await(
        () -> creations.recordCreateOutcome(claim, "replica-a", new CreateOutcome.Created(4711)));

    ProvisioningSaga saga = Db.saga(id);
    assertThat(saga.state()).isEqualTo(SagaState.PROVISIONING);
    assertThat(saga.attachmentId()).isEqualTo(4711L);
    assertThat(saga.psk().sealed()).isNull();
    assertThat(saga.lease().owner()).isNull();
  }

  /**
   * The claim ran out mid-call and the poller marked the request unknown, but nobody created again
   * since: emnify's late 201 is the best evidence.
   */
  @Test
  void lateDefiniteAnswerIsRecordedWhenNobodyActedSince() {
    String id = accepted();
    CreateClaim claim = claim(id, "replica-a");
    expireClaimAndObserve(id);
    assertThat(Db.saga(id).state()).isEqualTo(SagaState.CREATE_UNKNOWN);

    Db.await(
        () -> creations.recordCreateOutcome(claim, "replica-a", new CreateOutcome.Created(4711)));

    assertThat(Db.saga(id).state()).isEqualTo(SagaState.PROVISIONING);
    assertThat(Db.saga(id).attachmentId()).isEqualTo(4711L);
  }

  @Test
  void lateAnswerOfAnEarlierAttemptIsNotRecorded() {
    String id = accepted();
    CreateClaim first = claim(id, "replica-a");
    Db.await(
        () ->
            creations.recordCreateOutcome(
                first,
                "replica-a",
                new CreateOutcome.NotTaken("create answered 429", Optional.of(Duration.ZERO))));
    CreateClaim second = claim(id, "replica-b");
    assertThat(second.attempt()).isEqualTo(2);

    Db.await(
        () -> creations.recordCreateOutcome(first, "replica-a", new CreateOutcome.Created(4711)));

    assertThat(Db.saga(id).state()).isEqualTo(SagaState.CREATING);
    assertThat(Db.saga(id).lease().owner()).isEqualTo("replica-b");
  }

  /** A refusal that answers the very attempt that was thought ambiguous is still final. */
  @Test
  void lateRefusalOfTheAttemptMarkedUnknownIsFinal() {
    String id = accepted();
    CreateClaim claim = claim(id, "replica-a");
    expireClaimAndObserve(id);

    Db.await(
        () ->
            creations.recordCreateOutcome(
                claim, "replica-a", new CreateOutcome.Refused("create answered 422")));

    assertThat(Db.saga(id).failureReason()).isEqualTo(FailureReason.REJECTED_BY_API);
  }

  /**
   * The poller decides once, on the saga as it read it. The application applies that step as it was
   * decided while the saga has not moved; once another writer moved it (its version went up), it
   * decides again, on the saga as it is now.
   */
  @Test
  void aDecidedStepIsAppliedAsDecidedUnlessTheSagaMovedMeanwhile() {
    Step seenPending = new Step.Progressing(new Observation(4711, 3, "Pending AWS Activation"));
    ProgressRule waits = (saga, now, grace) -> new Step.Wait();

    String still = provisioning();
    ProvisioningSaga asRead = Db.saga(still);
    Db.await(() -> observations.apply(asRead, seenPending, waits, null));
    assertThat(Db.saga(still).emnifyView().statusId()).isEqualTo(3);

    String moved = provisioning();
    ProvisioningSaga seen = Db.saga(moved);
    Db.await(() -> Db.changedElsewhere(moved, "moved by another writer"));
    Db.await(() -> observations.apply(seen, seenPending, waits, null));
    assertThat(Db.saga(moved).emnifyView().statusId()).isNull();
    assertThat(Db.saga(moved).lastError()).isEqualTo("moved by another writer");
  }

  /** Accepted by emnify as attachment 4711: waiting to be seen Active. */
  private String provisioning() {
    String id = accepted();
    CreateClaim claim = claim(id, "replica-a");
    Db.await(
        () -> creations.recordCreateOutcome(claim, "replica-a", new CreateOutcome.Created(4711)));
    assertThat(Db.saga(id).state()).isEqualTo(SagaState.PROVISIONING);
    return id;
  }

  @Test
  void endedSagaIsNotChangedByALateObservation() {
    String id = accepted();
    CreateClaim claim = claim(id, "replica-a");
    Db.await(
        () ->
            creations.recordCreateOutcome(
                claim, "replica-a", new CreateOutcome.Refused("answered 422")));
    assertThat(Db.saga(id).state()).isEqualTo(SagaState.FAILED);

    Db.await(
        () ->
            observations.learned(
                id,
                ProgressRule.read(new Observation(4711, 5, "Active"), Instant.now()),
                new Observation(4711, 5, "Active")));

    assertThat(Db.saga(id).state()).isEqualTo(SagaState.FAILED);
    assertThat(Db.outbox(id)).hasSize(1);
  }

  /**
   * The oldest due request cannot be claimed (its stored spec is unreadable). It is held back a
   * minute, visibly, and the requests behind it are claimed; before, the same row came back first
   * on every pass and no create was sent at all.
   */
  @Test
  void aRequestThatCannotBeClaimedIsHeldBackAndTheOthersAreClaimed() {
    String broken = accepted();
    String fine = accepted();
    io.vertx.mutiny.sqlclient.Pool pool =
        io.quarkus.arc.Arc.container().instance(io.vertx.mutiny.sqlclient.Pool.class).get();
    Db.await(
        () ->
            pool.preparedQuery(
                    "update provisioning_saga set spec_json = '{not json',"
                        + " next_attempt_at = now() - interval '1 hour' where request_id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(broken))
                .replaceWithVoid());

    List<CreateClaim> first = Db.await(() -> creations.claimDueCreates("replica-a", 1));
    List<CreateClaim> second = Db.await(() -> creations.claimDueCreates("replica-a", 1));

    assertThat(first).isEmpty();
    assertThat(second).extracting(CreateClaim::requestId).containsExactly(fine);
    ProvisioningSaga held = Db.saga(broken);
    assertThat(held.state()).isEqualTo(SagaState.RECEIVED);
    assertThat(held.nextAttemptAt()).isAfter(Instant.now().plusSeconds(50));
  }
}
