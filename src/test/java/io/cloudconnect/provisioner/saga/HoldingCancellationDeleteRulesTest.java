package io.cloudconnect.provisioner.saga;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who holds an attachment, what a cancellation does, and what a delete does on arrival: tables. */
class HoldingCancellationDeleteRulesTest {

  @ParameterizedTest(name = "{0} {1}: holds {2}, stands behind {3}")
  @CsvSource({
    "RECEIVED,         ,           false, false",
    "CREATING,         ,           false, true",
    "CREATE_UNKNOWN,   ,           false, true",
    "PROVISIONING,     ,           true,  true",
    "READY,            ,           true,  true",
    "REMOVING,         PENDING,    true,  true",
    "AWAITING_REMOVAL, ,           false, false",
    "FAILED,           NOT_NEEDED, false, false",
    "FAILED,           DELETED,    false, false",
    "FAILED,           PENDING,    false, false",
    "FAILED,           KEPT,       true,  true",
    "FAILED,           IMPOSSIBLE, true,  true",
    "DELETED,          DELETED,    false, false",
  })
  void holding(SagaState state, Compensation compensation, boolean holds, boolean standsBehind) {
    assertThat(Holding.holdsAttachment(state, compensation)).isEqualTo(holds);
    assertThat(Holding.standsBehind(state, compensation)).isEqualTo(standsBehind);
  }

  @ParameterizedTest(name = "{0} with evidence {1}: {2}")
  @CsvSource({
    "RECEIVED,         NONE,     NOTHING_SENT",
    "RECEIVED,         MAYBE,     REMOVE_WHAT_IT_CREATED",
    "CREATING,         NONE,     REMOVE_WHAT_IT_CREATED",
    "CREATE_UNKNOWN,   MAYBE,     REMOVE_WHAT_IT_CREATED",
    "PROVISIONING,     MAYBE,     REMOVE_WHAT_IT_CREATED",
    "READY,            MAYBE,     TOO_LATE",
    "REMOVING,         MAYBE,     TOO_LATE",
    "AWAITING_REMOVAL, NONE,     TOO_LATE",
    "FAILED,           NONE,     TOO_LATE",
    "DELETED,          MAYBE,     TOO_LATE",
  })
  void cancellation(SagaState state, CreateEvidence evidence, Cancellation.Effect effect) {
    assertThat(Cancellation.of(state, evidence)).isEqualTo(effect);
  }

  @ParameterizedTest(name = "{0}, evidence {1}, attachment {2}, {3}: {4}")
  @CsvSource({
    "RECEIVED,         NONE,      ,    ,           CANCEL_UNSENT",
    "RECEIVED,         MAYBE,     ,    ,           CANCEL",
    "CREATING,         MAYBE,     ,    ,           CANCEL",
    "CREATE_UNKNOWN,   MAYBE,     ,    ,           CANCEL",
    "PROVISIONING,     MAYBE,     7,   ,           CANCEL",
    "READY,            MAYBE,     7,   ,           DELETE",
    "REMOVING,         MAYBE,     7,   PENDING,    AWAIT_REMOVAL",
    "FAILED,           MAYBE,     7,   KEPT,       DELETE",
    "FAILED,           MAYBE,     7,   IMPOSSIBLE, DELETE",
    "FAILED,           MAYBE,     ,    KEPT,       ALREADY_GONE",
    "FAILED,           MAYBE,     7,   DELETED,    ALREADY_GONE",
    "FAILED,           NONE,      ,    NOT_NEEDED, ALREADY_GONE",
    "DELETED,          MAYBE,     7,   DELETED,    ALREADY_GONE",
    "AWAITING_REMOVAL, NONE,      ,    ,           ALREADY_GONE",
  })
  void deleteOnArrival(
      SagaState state,
      CreateEvidence evidence,
      Long attachmentId,
      Compensation compensation,
      DeleteRules.OnArrival first) {
    assertThat(DeleteRules.onArrival(state, evidence, attachmentId, compensation)).isEqualTo(first);
  }

  /** Which requests a delete may name: one that holds, or may hold, an attachment. */
  @org.junit.jupiter.api.Test
  void aDeleteTakesOnlyARequestThatMayHoldAnAttachment() {
    ProvisioningSaga provisioning = ProgressRulesTest.provisioning();
    ProvisioningSaga refused =
        ProvisioningSaga.refused("req-refused", RequestKind.CREATE, "bad", ProvisioningSagaTest.T0);
    ProvisioningSaga deleteRequest =
        ProvisioningSaga.deleteReceived(
            "req-delete", provisioning, ProvisioningSagaTest.T0, ProvisioningSagaTest.T0);

    assertThat(DeleteRules.refusal(null, true)).contains(DeleteRules.NotDeletable.UNKNOWN_REQUEST);
    assertThat(DeleteRules.refusal(null, false))
        .contains(DeleteRules.NotDeletable.UNKNOWN_ATTACHMENT);
    assertThat(DeleteRules.refusal(deleteRequest, true))
        .contains(DeleteRules.NotDeletable.A_DELETE_REQUEST);
    assertThat(DeleteRules.refusal(refused, true))
        .contains(DeleteRules.NotDeletable.REFUSED_REQUEST);
    assertThat(DeleteRules.refusal(provisioning, true)).isEmpty();
    assertThat(DeleteRules.refusal(provisioning, false)).isEmpty();
  }

  /** The answer of the deletes waiting for a target, once its removal is over. */
  @org.junit.jupiter.api.Test
  void theWaitingDeletesAreAnsweredByWhatBecameOfTheTarget() {
    java.time.Instant t0 = ProvisioningSagaTest.T0;
    java.time.Duration timeout = java.time.Duration.ofMinutes(30);

    ProvisioningSaga deleted = ProgressRulesTest.provisioning();
    deleted.becameReady(5, "Active", 2, t0);
    deleted.startRemoval(RemovalPurpose.DELETE, null, null, t0, timeout);
    assertThat(DeleteRules.answerFor(deleted)).isEqualTo(DeleteRules.Answer.NOT_YET);
    deleted.deleteSent(t0);
    deleted.removed(Compensation.DELETED, "attachment 42 deleted", t0);
    assertThat(DeleteRules.answerFor(deleted)).isEqualTo(DeleteRules.Answer.DELETED);

    ProvisioningSaga cancelled = ProgressRulesTest.provisioning();
    cancelled.startRemoval(
        RemovalPurpose.CANCEL, FailureReason.CANCELLED, "cancelled", t0, timeout);
    cancelled.removed(Compensation.DELETED, "attachment 42 deleted", t0);
    assertThat(DeleteRules.answerFor(cancelled)).isEqualTo(DeleteRules.Answer.CANCELLED);
    assertThat(DeleteRules.answerFor(cancelled).wireName()).isEqualTo("cancelled");

    ProvisioningSaga refused = ProgressRulesTest.provisioning();
    refused.becameReady(5, "Active", 2, t0);
    refused.startRemoval(RemovalPurpose.DELETE, null, null, t0, timeout);
    refused.removalImpossible("emnify refused to delete attachment 42: Classic", t0);
    assertThat(DeleteRules.answerFor(refused)).isEqualTo(DeleteRules.Answer.REFUSED);

    ProvisioningSaga failedKeptNothing = ProgressRulesTest.provisioning();
    failedKeptNothing.fail(
        FailureReason.DELETED_UPSTREAM, "gone", Compensation.NOT_NEEDED, "nothing left", t0);
    assertThat(DeleteRules.answerFor(failedKeptNothing).wireName()).isEqualTo("already_gone");
  }
}
