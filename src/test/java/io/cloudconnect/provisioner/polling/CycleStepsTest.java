package io.cloudconnect.provisioner.polling;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.config.ProvisionerConfig.Polling.Strategy;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.Attachment;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.IdDescription;
import io.cloudconnect.provisioner.polling.CycleSteps.Planned;
import io.cloudconnect.provisioner.polling.ObservationPlan.Plan;
import io.cloudconnect.provisioner.polling.ObservationPlan.Way;
import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.Step;
import io.cloudconnect.provisioner.support.Specs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A cycle decides each saga once, on what it read, and knows the calls its steps will make. */
class CycleStepsTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant LATER = T0.plusSeconds(120);
  static final Duration GRACE = Duration.ofMinutes(2);
  static final Duration TIMEOUT = Duration.ofMinutes(30);

  /** Accepted by emnify as attachment {@code id}, last seen in {@code status} (null: never). */
  private static ProvisioningSaga accepted(long id, Integer status) {
    ProvisioningSaga saga =
        ProvisioningSaga.received(
            "req-" + id, Specs.staticVpn("site"), "{}", null, T0, TIMEOUT, "test");
    saga.claimForCreate("a", T0, Duration.ofSeconds(60), TIMEOUT);
    saga.attachmentCreated(id, T0);
    if (status != null) {
      saga.statusObserved(status, "status " + status, T0);
    }
    return saga;
  }

  private static Attachment listed(long id, int status) {
    return new Attachment(
        id, "site", "site", new IdDescription(status, "status " + status), null, "eu-1", null);
  }

  private static final List<ProvisioningSaga> SAGAS =
      List.of(accepted(1000, 2), accepted(1001, null), accepted(1002, 2), accepted(1003, 2));

  /** 1000 Active, 1001 seen for the first time, 1002 absent, 1003 where it was. */
  private static final AttachmentSnapshot SNAPSHOT =
      new AttachmentSnapshot(List.of(listed(1000, 5), listed(1001, 2), listed(1003, 2)), T0, true);

  @Test
  void eachSagaIsDecidedOnceOnTheListAndTheCallsItsStepsNeedAreCounted() {
    List<Planned> steps =
        CycleSteps.plan(new Plan(Way.FULL_LIST, SAGAS, 1), Optional.of(SNAPSHOT), LATER, GRACE);

    assertThat(steps)
        .extracting(Planned::step)
        .containsExactly(
            new Step.FetchAndReady(1000),
            new Step.Progressing(SNAPSHOT.observe(SAGAS.get(1)).orElseThrow()),
            new Step.LookUp(1002),
            new Step.Progressing(SNAPSHOT.observe(SAGAS.get(3)).orElseThrow()));
    assertThat(steps).extracting(Planned::idle).containsExactly(false, false, false, true);
    assertThat(CycleSteps.calls(steps)).isEqualTo(2);
    // the rule a step was decided by decides the same again on the same saga
    assertThat(steps)
        .allSatisfy(p -> assertThat(p.rule().decide(p.saga(), LATER, GRACE)).isEqualTo(p.step()));
  }

  @Test
  void aListThatCouldNotBeReadLeavesOnlyTheDeadlineAndCostsNoCall() {
    Plan plan = new Plan(Way.FULL_LIST, SAGAS, 1);

    List<Planned> inTime = CycleSteps.plan(plan, Optional.empty(), LATER, GRACE);
    assertThat(inTime).extracting(Planned::step).containsOnly(new Step.Wait());
    assertThat(inTime).allMatch(Planned::idle);
    assertThat(CycleSteps.calls(inTime)).isZero();

    List<Planned> late =
        CycleSteps.plan(plan, Optional.empty(), T0.plus(TIMEOUT).plusSeconds(1), GRACE);
    assertThat(late)
        .extracting(Planned::step)
        .allSatisfy(
            step ->
                assertThat(step)
                    .isInstanceOfSatisfying(
                        Step.Fail.class,
                        fail -> assertThat(fail.reason()).isEqualTo(FailureReason.TIMED_OUT)));
  }

  @Test
  void readingOneByOneLooksEachUpByIdOneCallEach() {
    List<Planned> steps =
        CycleSteps.plan(new Plan(Way.BY_ID, SAGAS, SAGAS.size()), Optional.empty(), LATER, GRACE);

    assertThat(steps)
        .extracting(Planned::step)
        .containsExactly(
            new Step.LookUp(1000),
            new Step.LookUp(1001),
            new Step.LookUp(1002),
            new Step.LookUp(1003));
    assertThat(CycleSteps.calls(steps)).isEqualTo(4);
  }

  /** The reference strategy is one plan among the others: it reads by id and announces nothing. */
  @Test
  void onlyThePlannedStrategyAnnouncesItsCallsToTheBudget() {
    Plan planned = ObservationPlan.of(Strategy.PLANNED, SAGAS, LATER, Duration.ZERO, 100, 100);
    Plan reference =
        ObservationPlan.of(Strategy.PER_RESOURCE, SAGAS, LATER, Duration.ZERO, 100, 100);

    assertThat(planned.announces()).isTrue();
    assertThat(reference.announces()).isFalse();
    assertThat(reference.way()).isEqualTo(Way.BY_ID);
    assertThat(reference.sagas()).hasSize(4);
  }
}
