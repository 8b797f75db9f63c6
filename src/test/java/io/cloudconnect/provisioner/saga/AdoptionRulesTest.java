package io.cloudconnect.provisioner.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which attachments an adopt request of deployment {@code ours} may take over. */
class AdoptionRulesTest {
  static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  @ParameterizedTest(name = "{0}, unmarked allowed {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "none",
      value = {
        // description of the attachment           | unmarked allowed | outcome
        "branch [ccp:ours/lost-request]              | false | adopted",
        "[ccp:ours/x] later text [ccp:ours/y]         | false | adopted",
        "branch [ccp:other-team/their-request]       | false | another deployment's",
        "branch [ccp:other-team/their-request]       | true  | another deployment's",
        "[ccp:ours/x] copied, then [ccp:other-team/y] | true  | another deployment's",
        "set up in the portal                        | false | no marker",
        "set up in the portal                        | true  | adopted",
        "none                                        | false | no marker",
        "none                                        | true  | adopted",
        "made before namespaces [ccp:old-request]    | false | without a deployment namespace",
        "made before namespaces [ccp:old-request]    | true  | adopted",
        "[ccp:ours-too/x]                            | true  | another deployment's",
      })
  void anAdoptTakesOverOnlyWhatItsDeploymentMay(
      String description, boolean unmarkedAllowed, String outcome) {
    ProvisioningSaga saga =
        ProvisioningSaga.adoptionReceived(
            "adopt-1",
            42,
            "ours",
            new ProvisioningSaga.Adoption(unmarkedAllowed, false),
            T0,
            Duration.ofMinutes(30));
    Observation seen =
        new Observation(
            42, 2, "Pending AWS Activation", null, null, 2, Marker.in(description).orElse(null));

    Optional<Step.Fail> refusal = AdoptionRules.refusal(saga, seen);

    if (outcome.equals("adopted")) {
      assertThat(refusal).isEmpty();
      assertThat(ProgressRules.decide(saga, Optional.of(seen), T0, T0, true, Duration.ZERO))
          .isInstanceOf(Step.Progressing.class);
    } else {
      assertThat(refusal)
          .hasValueSatisfying(
              fail -> {
                assertThat(fail.reason()).isEqualTo(FailureReason.NOT_ADOPTABLE);
                assertThat(fail.message()).contains("attachment 42").contains(outcome);
                assertThat(fail.message()).doesNotContain("other-team").doesNotContain("their");
              });
      // the rule is applied before the status: an Active foreign attachment is not fetched either
      Observation active =
          new Observation(42, 5, "Active", null, null, 2, Marker.in(description).orElse(null));
      assertThat(ProgressRules.decide(saga, Optional.of(active), T0, T0, true, Duration.ZERO))
          .isEqualTo(refusal.get());
      // refused, it was never held: nothing to compensate, nothing a delete could find held
      assertThat(Compensations.atFailure(saga, refusal.get(), Compensations.Mode.DELETE))
          .isEqualTo(
              new Compensations.Decision(
                  false, Compensation.NOT_NEEDED, "attachment 42 was not adopted: left as it is"));
    }
  }

  @ParameterizedTest(name = "a create request is never judged by adoption rules: {0}")
  @CsvSource({"branch [ccp:other-team/x]", "set up in the portal"})
  void aCreateRequestIsNotJudgedByAdoptionRules(String description) {
    ProvisioningSaga saga = ProgressRulesTest.provisioning();
    Observation seen =
        new Observation(42, 2, "p", null, null, 2, Marker.in(description).orElse(null));
    assertThat(AdoptionRules.refusal(saga, seen)).isEmpty();
  }

  @ParameterizedTest(name = "psk readable {0}")
  @CsvSource({"true", "false"})
  void anAdoptedAttachmentsKeyIsReadableOnlyWhenTheDeploymentSaysSo(boolean readable) {
    ProvisioningSaga saga =
        ProvisioningSaga.adoptionReceived(
            "adopt-1",
            42,
            "ours",
            new ProvisioningSaga.Adoption(false, readable),
            T0,
            Duration.ofMinutes(30));
    assertThat(saga.psk().byEmnify()).isEqualTo(readable);
  }
}
