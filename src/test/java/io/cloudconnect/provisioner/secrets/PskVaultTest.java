package io.cloudconnect.provisioner.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PskVaultTest {
  static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  private final PskVault vault = new PskVault(KEY);

  @Test
  void sealedPskOpensToTheSameValueAndDoesNotContainIt() {
    String sealed = vault.seal(Secret.of("my_pre.shared_key"), "req-1");
    assertThat(sealed).startsWith("v1:").doesNotContain("my_pre.shared_key");
    assertThat(vault.open(sealed, "req-1").reveal()).isEqualTo("my_pre.shared_key");
  }

  @Test
  void sealingTwiceGivesDifferentCiphertexts() {
    assertThat(vault.seal(Secret.of("abcdefgh"), "r"))
        .isNotEqualTo(vault.seal(Secret.of("abcdefgh"), "r"));
  }

  @Test
  void sealedValueIsBoundToItsRequest() {
    String sealed = vault.seal(Secret.of("abcdefgh"), "req-1");
    assertThatThrownBy(() -> vault.open(sealed, "req-2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining("abcdefgh");
  }

  @Test
  void anotherKeyCannotOpenIt() {
    String sealed = vault.seal(Secret.of("abcdefgh"), "req-1");
    byte[] other = new byte[32];
    other[0] = 1;
    PskVault otherVault = new PskVault(Base64.getEncoder().encodeToString(other));
    assertThatThrownBy(() -> otherVault.open(sealed, "req-1"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void afterRotationValuesSealedWithThePreviousKeyStillOpen() {
    byte[] next = new byte[32];
    next[31] = 7;
    String nextKey = Base64.getEncoder().encodeToString(next);
    String sealedBefore = vault.seal(Secret.of("before_rotation"), "req-1");
    PskVault rotated = new PskVault(nextKey, java.util.List.of(KEY));

    assertThat(rotated.open(sealedBefore, "req-1").reveal()).isEqualTo("before_rotation");
    String sealedAfter = rotated.seal(Secret.of("after_rotation"), "req-2");
    assertThat(sealedAfter.split(":")[1]).isNotEqualTo(sealedBefore.split(":")[1]);
    assertThatThrownBy(() -> vault.open(sealedAfter, "req-2"))
        .hasMessageContaining("not configured");
  }

  @Test
  void keyMustBe256Bits() {
    assertThatThrownBy(() -> new PskVault(Base64.getEncoder().encodeToString(new byte[16])))
        .hasMessageContaining("32 bytes");
  }

  @Test
  void secretNeverPrintsItself() {
    Secret secret = Secret.of("abcdefgh");
    assertThat(secret.toString()).isEqualTo("<redacted>");
    assertThat(String.valueOf(java.util.List.of(secret))).doesNotContain("abcdefgh");
    assertThat(secret.redactIn("bad psk 'abcdefgh' here")).isEqualTo("bad psk '<redacted>' here");
  }
}
