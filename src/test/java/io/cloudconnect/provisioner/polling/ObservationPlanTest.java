package io.cloudconnect.provisioner.polling;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.polling.ObservationPlan.Plan;
import io.cloudconnect.provisioner.polling.ObservationPlan.Way;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.support.Specs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a poll cycle reads, and that it never depends on the organisation. */
class ObservationPlanTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration FIRST_LOOK = Duration.ofMinutes(1);
  static final int PAGE = 100;
  static final int LARGE = 100; // the organisation's whole list: 100 pages

  private static ProvisioningSaga saga(int n, Instant acceptedAt, boolean ambiguous) {
    ProvisioningSaga saga =
        ProvisioningSaga.received(
            "req-" + n, Specs.staticVpn("site"), "{}", null, T0, Duration.ofMinutes(30), "test");
    saga.claimForCreate("a", acceptedAt, Duration.ofSeconds(60), Duration.ofMinutes(30));
    if (ambiguous) {
      saga.createOutcomeUnknown("create timed out", false, acceptedAt);
    } else {
      saga.attachmentCreated(1000 + n, acceptedAt);
    }
    return saga;
  }

  private static List<ProvisioningSaga> accepted(int count, Instant at) {
    List<ProvisioningSaga> sagas = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sagas.add(saga(i, at, false));
    }
    return sagas;
  }

  @Test
  void youngAttachmentsCostNothing() {
    Plan plan = ObservationPlan.of(accepted(50, T0), T0.plusSeconds(59), FIRST_LOOK, PAGE, LARGE);
    assertThat(plan.way()).isEqualTo(Way.NONE);
    assertThat(plan.sagas()).isEmpty();
  }

  /** An adopted attachment may be Active already; attachments being removed are due. */
  @Test
  void adoptedAndBeingRemovedAreLookedAtAtOnceAndNeverThroughThePendingLists() {
    ProvisioningSaga adopted =
        ProvisioningSaga.adoptionReceived(
            "adopt-1",
            77,
            "test",
            new ProvisioningSaga.Adoption(true, false),
            T0,
            Duration.ofMinutes(30));
    Plan plan = ObservationPlan.of(List.of(adopted), T0.plusSeconds(1), FIRST_LOOK, PAGE, LARGE);
    assertThat(plan.way()).isEqualTo(Way.BY_ID);
    assertThat(plan.sagas()).containsExactly(adopted);

    List<ProvisioningSaga> removing = accepted(8, T0);
    removing.forEach(
        s ->
            s.startRemoval(
                io.cloudconnect.provisioner.saga.RemovalPurpose.COMPENSATE,
                io.cloudconnect.provisioner.saga.FailureReason.TIMED_OUT,
                "late",
                T0,
                Duration.ofMinutes(30)));
    Plan many = ObservationPlan.of(removing, T0.plusSeconds(1), FIRST_LOOK, PAGE, LARGE);
    assertThat(many.sagas()).hasSize(8);
    // an attachment being removed may be Active, or leaving (6, 8): not in the pending lists
    assertThat(many.way()).isEqualTo(Way.BY_ID);
  }

  @Test
  void aFewDueAreReadByIdAndManyThroughThePendingLists() {
    Instant later = T0.plus(FIRST_LOOK);
    assertThat(ObservationPlan.of(accepted(4, T0), later, FIRST_LOOK, PAGE, LARGE).way())
        .isEqualTo(Way.BY_ID);
    Plan many = ObservationPlan.of(accepted(5, T0), later, FIRST_LOOK, PAGE, LARGE);
    assertThat(many.way()).isEqualTo(Way.PENDING_LISTS);
    assertThat(many.sagas()).hasSize(5);
    // 10,000 in flight: 4 statuses x 100 pages, against 10,000 reads by id
    assertThat(ObservationPlan.pendingListsCost(10_000, PAGE)).isEqualTo(400);
  }

  @Test
  void aSmallOrganisationIsReadWhole() {
    Plan plan = ObservationPlan.of(accepted(50, T0), T0.plus(FIRST_LOOK), FIRST_LOOK, PAGE, 1);
    assertThat(plan.way()).isEqualTo(Way.FULL_LIST);
    assertThat(ObservationPlan.of(accepted(1, T0), T0.plus(FIRST_LOOK), FIRST_LOOK, PAGE, 1).way())
        .isEqualTo(Way.BY_ID);
  }

  @Test
  void anAmbiguousCreateNeedsTheWholeList() {
    List<ProvisioningSaga> inFlight = new ArrayList<>(accepted(3, T0));
    inFlight.add(saga(99, T0, true));
    Plan plan = ObservationPlan.of(inFlight, T0.plusSeconds(1), FIRST_LOOK, PAGE, LARGE);
    assertThat(plan.way()).isEqualTo(Way.FULL_LIST);
    assertThat(plan.sagas()).hasSize(4);
  }

  @Test
  void onlyTheDueOnesAreLookedAt() {
    List<ProvisioningSaga> inFlight = new ArrayList<>(accepted(2, T0));
    inFlight.add(saga(7, T0.plusSeconds(50), false));
    Plan plan = ObservationPlan.of(inFlight, T0.plus(FIRST_LOOK), FIRST_LOOK, PAGE, LARGE);
    assertThat(plan.sagas())
        .extracting(ProvisioningSaga::requestId)
        .containsExactly("req-0", "req-1");
  }

  /**
   * 10,000 in flight: 100 list pages a cycle may not run every 15 s on a 6-calls-per-second quota;
   * but no pause outlasts its bound, however costly the cycle or small the share (the budget keeps
   * the quota): 100 calls at the busy share would otherwise wait 14 minutes.
   */
  @Test
  void aCostlyCycleIsFollowedByAPauseWithinItsShareOfTheBudgetAndItsBound() {
    double perSecond = 1800 / 300.0;
    Duration max = Duration.ofSeconds(30);
    record Row(int calls, double share, Duration pause) {}
    List<Row> table =
        List.of(
            new Row(4, 0.5, Duration.ofMillis(1_334)),
            new Row(0, 0.5, Duration.ZERO),
            new Row(50, 0.5, Duration.ofMillis(16_667)),
            new Row(100, 0.5, max),
            new Row(100, 0.02, max),
            new Row(1000, 0.02, max),
            new Row(1, 0.02, Duration.ofMillis(8_334)),
            new Row(3, 0, Duration.ZERO));
    for (Row row : table) {
      assertThat(ObservationPlan.pause(row.calls(), perSecond, row.share(), max))
          .as("%d calls at share %s", row.calls(), row.share())
          .isEqualTo(row.pause());
    }
  }
}
