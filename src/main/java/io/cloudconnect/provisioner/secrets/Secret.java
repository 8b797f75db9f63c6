package io.cloudconnect.provisioner.secrets;

import java.util.Objects;

/**
 * A secret value (pre-shared key, token) that cannot leak by accident: {@code toString} never shows
 * it, so it is safe in log statements, exception messages and records' generated strings.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value);
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The clear value, for the one place that must send it. */
  public String reveal() {
    return value;
  }

  /** The text with every occurrence of this secret replaced, for upstream error messages. */
  public String redactIn(String text) {
    return text == null || value.isEmpty() ? text : text.replace(value, "<redacted>");
  }

  @Override
  public String toString() {
    return "<redacted>";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
