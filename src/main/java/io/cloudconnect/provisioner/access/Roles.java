package io.cloudconnect.provisioner.access;

/**
 * The roles that open the HTTP API, each a setting so that a deployment can use its identity
 * provider's group names (docs/OPERATIONS.md, "Deploying it securely"): {@code status-reader} for a
 * producer's status lookup only, {@code viewer} for every operator read, {@code operator} to act,
 * {@code psk-reader} for the one-time read of an emnify-generated key. The constants are
 * configuration expressions, which Quarkus resolves in {@code @RolesAllowed}; the path policies in
 * application.properties name the same settings, so that each door is checked twice.
 */
public final class Roles {
  public static final String STATUS_READER = "${cloudconnect.auth.roles.status-reader}";
  public static final String VIEWER = "${cloudconnect.auth.roles.viewer}";
  public static final String OPERATOR = "${cloudconnect.auth.roles.operator}";
  public static final String PSK_READER = "${cloudconnect.auth.roles.psk-reader}";

  private Roles() {}
}
