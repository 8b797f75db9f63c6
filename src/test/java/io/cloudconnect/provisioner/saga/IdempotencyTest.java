package io.cloudconnect.provisioner.saga;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdempotencyTest {
  @ParameterizedTest(name = "{0} then {1}: conflict {2}")
  @CsvSource(
      nullValues = "none",
      value = {
        "f1:aaaa:MAC1, f1:aaaa:MAC1, false", // a redelivery
        "f1:aaaa:MAC1, f1:aaaa:MAC2, true", // other parameters
        "f1:aaaa:MAC1, f1:bbbb:MAC2, false", // the key rotated in between: cannot tell
        "none,         f1:aaaa:MAC2, false", // recorded before fingerprints
        "f1:aaaa:MAC1, none,         false", // a record that could not be used whole
        "f1:aaaa:MAC1, f2:aaaa:MAC2, false", // another fingerprint format
        "garbage,      f1:aaaa:MAC2, false",
      })
  void aRequestIdConflictsOnlyWhenComparableParametersDiffer(
      String first, String again, boolean conflict) {
    assertThat(Idempotency.conflicts(first, again)).isEqualTo(conflict);
  }

  /**
   * A batch: a request_id recorded before, one repeated inside the batch, one repeated with other
   * parameters, one without a fingerprint; the first delivery wins.
   */
  @Test
  void eachArrivalOfABatchIsTheFirstARedeliveryOrAConflict() {
    String a = "f1:k1:aaaa";
    String b = "f1:k1:bbbb";
    java.util.Map<String, String> known = new java.util.HashMap<>();
    known.put("before", a);
    known.put("before-unprinted", null);

    assertThat(
            Idempotency.judge(
                java.util.List.of(
                    "before", "before", "new", "new", "new", "before-unprinted", "plain", "plain"),
                java.util.Arrays.asList(a, b, a, a, b, b, null, a),
                known))
        .containsExactly(
            Idempotency.Verdict.REDELIVERY,
            Idempotency.Verdict.CONFLICT,
            Idempotency.Verdict.FIRST,
            Idempotency.Verdict.REDELIVERY,
            Idempotency.Verdict.CONFLICT,
            Idempotency.Verdict.REDELIVERY,
            Idempotency.Verdict.FIRST,
            Idempotency.Verdict.REDELIVERY);
  }
}
