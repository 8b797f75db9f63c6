package io.cloudconnect.provisioner.operator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An audit line's fields cannot be forged from a path or a token. */
class AuditTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "onboarding-7f3c2a | onboarding-7f3c2a",
        "x\\nAUDIT by=admin action=psk-read result=ok | x_AUDIT_by_admin_action_psk-read_result_ok",
        "x result=ok | x_result_ok",
        "a\"b'c | a_b_c",
        "partition 0 offset 5 | partition_0_offset_5",
      })
  void aFieldIsOneWord(String raw, String kept) {
    String unescaped = raw.replace("\\n", "\n");
    assertThat(Audit.word(unescaped)).isEqualTo(kept).doesNotContain(" ").doesNotContain("\n");
  }
}
