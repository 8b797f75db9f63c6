package io.cloudconnect.provisioner.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who may reach the service and over what, as a production service must have it: tokens bound to
 * this deployment (audience, issuer, age), role names that cannot be confused, and Kafka over TLS
 * (requests carry pre-shared keys). Pure: {@link ProductionConfigCheck} reads the settings, this
 * says what is wrong with them, one sentence per problem naming the setting, never a value.
 */
record AccessSettings(
    boolean authenticationOn,
    boolean providerDiscovery,
    Optional<List<String>> audience,
    Optional<String> issuer,
    Optional<Duration> tokenAge,
    Map<String, String> roles,
    String kafkaSecurityProtocol,
    boolean allowPlaintextKafka) {

  /** The longest a token may be honoured after it was issued; scripts/operator-token.sh agrees. */
  static final Duration LONGEST_TOKEN_AGE = Duration.ofDays(7);

  /** Every problem; empty when the settings are fit for production. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (authenticationOn) {
      if (audience.isEmpty() || audience.get().stream().allMatch(String::isBlank)) {
        problems.add(
            "QUARKUS_OIDC_TOKEN_AUDIENCE (quarkus.oidc.token.audience) is not set: a token minted"
                + " for another client of the identity provider would be accepted; set this"
                + " deployment's audience (scripts/operator-token.sh settings prints it)");
      }
      String issuerSetting = "QUARKUS_OIDC_TOKEN_ISSUER (quarkus.oidc.token.issuer)";
      if (issuer.filter(i -> i.trim().equalsIgnoreCase("any")).isPresent()) {
        problems.add(issuerSetting + " is 'any': tokens of every issuer would be accepted");
      } else if (!providerDiscovery && issuer.filter(i -> !i.isBlank()).isEmpty()) {
        problems.add(
            issuerSetting
                + " is not set: with a public key and no provider, a token signed with the same key"
                + " for another environment would be accepted");
      }
      if (tokenAge.isEmpty() || tokenAge.get().compareTo(LONGEST_TOKEN_AGE) > 0) {
        problems.add(
            "QUARKUS_OIDC_TOKEN_AGE (quarkus.oidc.token.age) must be set, at most P7D: a leaked"
                + " token is honoured until then");
      }
    }
    problems.addAll(roleProblems());
    String protocol = kafkaSecurityProtocol.trim().toUpperCase(Locale.ROOT);
    if (!allowPlaintextKafka
        && (protocol.equals("PLAINTEXT") || protocol.equals("SASL_PLAINTEXT"))) {
      problems.add(
          "KAFKA_SECURITY_PROTOCOL (kafka.security.protocol) is "
              + protocol
              + ": requests carry pre-shared keys and would cross the network in clear; use SSL or"
              + " SASL_SSL (k8s/base does), or CLOUDCONNECT_KAFKA_ALLOW_PLAINTEXT=true for a broker"
              + " on this machine");
    }
    return problems;
  }

  private List<String> roleProblems() {
    List<String> problems = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (Map.Entry<String, String> role : roles.entrySet()) {
      String setting =
          "CLOUDCONNECT_AUTH_ROLES_"
              + role.getKey().toUpperCase(Locale.ROOT).replace('-', '_')
              + " (cloudconnect.auth.roles."
              + role.getKey()
              + ")";
      String name = role.getValue();
      if (!name.matches("[A-Za-z0-9._:/-]{1,64}")) {
        problems.add(setting + " must be one group name: 1-64 of A-Z a-z 0-9 . _ : / -");
      } else if (seen.containsKey(name)) {
        problems.add(
            setting
                + " names the same group as cloudconnect.auth.roles."
                + seen.get(name)
                + ": each role needs a group of its own");
      } else {
        seen.put(name, role.getKey());
      }
    }
    return problems;
  }

  /** The role settings by their name under cloudconnect.auth.roles. */
  static Map<String, String> roles(ProvisionerConfig.AuthRoles roles) {
    Map<String, String> named = new LinkedHashMap<>();
    named.put("status-reader", roles.statusReader());
    named.put("viewer", roles.viewer());
    named.put("operator", roles.operator());
    named.put("psk-reader", roles.pskReader());
    return named;
  }
}
