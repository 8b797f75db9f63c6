package io.cloudconnect.provisioner.support;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
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

  /** The test profile's quarkus.oidc.token.issuer and audience: what this service accepts. */
  public static final String ISSUER = "cloudconnect-provisioner/test/operator-token";

  public static final String AUDIENCE = "cloudconnect-provisioner/test";

  /** A token for {@code name} with {@code groups} as its roles, valid for ten minutes. */
  public static String token(String name, String... groups) {
    return claims(name, groups).sign(KEY);
  }

  /**
   * The claims of {@link #token}, to change one before signing: for this service's issuer and
   * audience, issued now, valid for ten minutes.
   */
  public static JwtClaimsBuilder claims(String name, String... groups) {
    return Jwt.issuer(ISSUER)
        .audience(AUDIENCE)
        .upn(name)
        .groups(Set.of(groups))
        .issuedAt(java.time.Instant.now())
        .expiresIn(600);
  }

  /** Signs claims with the suite's key. */
  public static String sign(JwtClaimsBuilder claims) {
    return claims.sign(KEY);
  }

  /** A status-reader's Authorization header value, as a producer's portal would send it. */
  public static String statusReader() {
    return bearer("portal", "status-reader");
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
