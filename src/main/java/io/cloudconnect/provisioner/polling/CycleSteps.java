package io.cloudconnect.provisioner.polling;

import io.cloudconnect.provisioner.saga.Observation;
import io.cloudconnect.provisioner.saga.ProgressRule;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One poll cycle's decisions: every saga the cycle looks at is decided once, on what the cycle read
 * (snapshot in, steps out). Pure. The poller then makes the calls the steps need and hands each
 * step to the application, which decides again only for a saga that moved meanwhile.
 */
final class CycleSteps {

  /** A saga as the cycle read it, the step decided for it, and the rule that decided it. */
  record Planned(ProvisioningSaga saga, Step step, ProgressRule rule) {

    /** The step needs a call to emnify: a read by id, or the delete call. */
    boolean calls() {
      return step instanceof Step.FetchAndReady
          || step instanceof Step.LookUp
          || step instanceof Step.SendDelete;
    }

    /**
     * Nothing to call or to write: waiting, or still in the status it was last seen in (with 10,000
     * attachments pending, a cycle would otherwise write-check each of them).
     */
    boolean idle() {
      if (step instanceof Step.Wait) {
        return true;
      }
      Observation seen =
          step instanceof Step.Progressing progressing
              ? progressing.observation()
              : step instanceof Step.RemovalProgressing removal ? removal.observation() : null;
      return seen != null && saga.emnifyView().shows(seen.statusId());
    }
  }

  private CycleSteps() {}

  /**
   * The cycle's sagas, each decided once: read by id when the plan reads them one by one, otherwise
   * on the list snapshot, or on the deadline alone when the list could not be read.
   */
  static List<Planned> plan(
      ObservationPlan.Plan plan, Optional<AttachmentSnapshot> seen, Instant now, Duration grace) {
    return plan.sagas().stream()
        .map(
            saga ->
                plan.way() == ObservationPlan.Way.BY_ID
                    ? new Planned(
                        saga, new Step.LookUp(saga.attachmentId()), ProgressRule.nothingLearned())
                    : of(saga, ruleFor(saga, seen), now, grace))
        .toList();
  }

  /** One saga decided by {@code rule}. */
  static Planned of(ProvisioningSaga saga, ProgressRule rule, Instant now, Duration grace) {
    return new Planned(saga, rule.decide(saga, now, grace), rule);
  }

  /** The calls the cycle's steps will make, to be announced to the budget before they are made. */
  static int calls(List<Planned> steps) {
    return (int) steps.stream().filter(Planned::calls).count();
  }

  private static ProgressRule ruleFor(ProvisioningSaga saga, Optional<AttachmentSnapshot> seen) {
    return seen.map(s -> ProgressRule.listed(s.observe(saga), s.listedAt(), s.complete()))
        .orElseGet(ProgressRule::nothingLearned);
  }
}
