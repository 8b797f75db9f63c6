package io.cloudconnect.provisioner.saga;

import static org.assertj.core.api.Assertions.assertThat;

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
}
