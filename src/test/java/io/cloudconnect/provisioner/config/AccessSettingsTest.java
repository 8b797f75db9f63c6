package io.cloudconnect.provisioner.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which access settings stop a production service at start, and what the message names. */
class AccessSettingsTest {

  /**
   * One row per case: authentication on, a provider (discovery) or a public key, audience, issuer,
   * token age, the operator role's group, Kafka's protocol, plaintext allowed; then the setting the
   * one problem names, or "none".
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          bound tokens over TLS            | true  | false | svc   | iss   | P7D  | operator | SASL_SSL       | false | none
          authentication off               | false | false | -     | -     | -    | operator | SSL            | false | none
          no audience                      | true  | false | -     | iss   | P7D  | operator | SSL            | false | quarkus.oidc.token.audience
          a blank audience                 | true  | false | ' '   | iss   | P7D  | operator | SSL            | false | quarkus.oidc.token.audience
          no issuer with a public key      | true  | false | svc   | -     | P7D  | operator | SSL            | false | quarkus.oidc.token.issuer
          no issuer with a provider        | true  | true  | svc   | -     | P7D  | operator | SSL            | false | none
          any issuer                       | true  | true  | svc   | any   | P7D  | operator | SSL            | false | quarkus.oidc.token.issuer
          no token age                     | true  | false | svc   | iss   | -    | operator | SSL            | false | quarkus.oidc.token.age
          a month's token age              | true  | false | svc   | iss   | P30D | operator | SSL            | false | quarkus.oidc.token.age
          two roles, one group             | true  | false | svc   | iss   | P7D  | viewer   | SSL            | false | cloudconnect.auth.roles.operator
          a role of two groups             | true  | false | svc   | iss   | P7D  | 'a,b'    | SSL            | false | cloudconnect.auth.roles.operator
          an empty role                    | true  | false | svc   | iss   | P7D  | ''       | SSL            | false | cloudconnect.auth.roles.operator
          plaintext Kafka                  | true  | false | svc   | iss   | P7D  | operator | PLAINTEXT      | false | kafka.security.protocol
          SASL without TLS                 | true  | false | svc   | iss   | P7D  | operator | sasl_plaintext | false | kafka.security.protocol
          plaintext Kafka, acknowledged    | true  | false | svc   | iss   | P7D  | operator | PLAINTEXT      | true  | none
          """)
  void eachProblemNamesItsSetting(
      String what,
      boolean on,
      boolean discovery,
      String audience,
      String issuer,
      String age,
      String operatorGroup,
      String protocol,
      boolean allowPlaintext,
      String named) {
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("status-reader", "status-reader");
    roles.put("viewer", "viewer");
    roles.put("operator", operatorGroup);
    roles.put("psk-reader", "psk-reader");
    List<String> problems =
        new AccessSettings(
                on,
                discovery,
                Optional.ofNullable(audience).map(List::of),
                Optional.ofNullable(issuer),
                Optional.ofNullable(age).map(Duration::parse),
                roles,
                protocol,
                allowPlaintext)
            .problems();

    if (named.equals("none")) {
      assertThat(problems).as(what).isEmpty();
    } else {
      assertThat(problems).as(what).singleElement().asString().contains("(" + named + ")");
    }
  }
}
