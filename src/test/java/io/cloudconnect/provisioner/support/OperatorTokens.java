package io.cloudconnect.provisioner.support;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.security.PrivateKey;
import java.util.Set;

/**
 * Bearer tokens for the operator API, signed as an identity provider (or scripts/operator-token.sh)
 * would sign them, with the suite's test-only key (src/test/resources/operator-test-key.pem; its
 * public half is the test profile's quarkus.oidc.public-key).
 */
public final class OperatorTokens {
  private static final PrivateKey KEY = load();

  private OperatorTokens() {}

  /** A token for {@code name} with {@code groups} as its roles, valid for ten minutes. */
  public static String token(String name, String... groups) {
    return Jwt.upn(name).groups(Set.of(groups)).expiresIn(600).sign(KEY);
  }

  /** The same, as an Authorization header value. */
  public static String bearer(String name, String... groups) {
    return "Bearer " + token(name, groups);
  }

  private static PrivateKey load() {
    try {
      return KeyUtils.readPrivateKey("operator-test-key.pem");
    } catch (Exception e) {
      throw new IllegalStateException("the test operator key cannot be read", e);
    }
  }
}
