package io.cloudconnect.provisioner.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which production settings stop the service at start, and what the message names. */
class ProductionConfigCheckTest {
  static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  static final Optional<String> TOKEN = Optional.of("a-real-looking-application-token");
  static final String EMNIFY = "https://cdn.emnify.net";
  static final Optional<String> PASSWORD = Optional.of("a-generated-password");

  private static List<String> problems(
      Optional<String> key, Optional<String> token, String url, Optional<String> password) {
    return ProductionConfigCheck.problems(key, List.of(), token, url, false, password);
  }

  @Test
  void completeProductionConfigurationHasNoProblem() {
    assertThat(problems(Optional.of(KEY), TOKEN, EMNIFY, PASSWORD)).isEmpty();
  }

  @Test
  void missingOrMalformedPskKeyIsNamed() {
    assertThat(problems(Optional.empty(), TOKEN, EMNIFY, PASSWORD))
        .singleElement()
        .asString()
        .startsWith("CLOUDCONNECT_SECRETS_PSK_KEY (cloudconnect.secrets.psk-key) is not set");
    assertThat(problems(Optional.of("not base64!"), TOKEN, EMNIFY, PASSWORD))
        .singleElement()
        .asString()
        .contains("psk-key")
        .contains("is not base64");
    String sixteenBytes = Base64.getEncoder().encodeToString(new byte[16]);
    assertThat(problems(Optional.of(sixteenBytes), TOKEN, EMNIFY, PASSWORD))
        .singleElement()
        .asString()
        .contains("decodes to 16 bytes: an AES-256 key is 32 bytes");
    assertThat(
            ProductionConfigCheck.problems(
                Optional.of(KEY), List.of("short"), TOKEN, EMNIFY, false, PASSWORD))
        .singleElement()
        .asString()
        .startsWith("CLOUDCONNECT_SECRETS_PSK_PREVIOUS_KEYS entry 1");
    // the dev, test and docker-compose keys are 32 bytes, and public
    for (String published : ProductionConfigCheck.PUBLISHED_VALUES) {
      if (published.endsWith("=")) {
        assertThat(problems(Optional.of(published), TOKEN, EMNIFY, PASSWORD))
            .singleElement()
            .asString()
            .contains("a value published in this repository")
            .doesNotContain(published);
      }
    }
  }

  @Test
  void missingOrPublishedApplicationTokenIsNamed() {
    assertThat(problems(Optional.of(KEY), Optional.empty(), EMNIFY, PASSWORD))
        .singleElement()
        .asString()
        .startsWith("EMNIFY_APPLICATION_TOKEN (emnify.application-token) is not set");
    assertThat(problems(Optional.of(KEY), Optional.of("replace-me"), EMNIFY, PASSWORD))
        .singleElement()
        .asString()
        .contains("published in this repository");
  }

  @Test
  void plainHttpUpstreamIsRefusedUnlessExplicitlyAllowed() {
    assertThat(problems(Optional.of(KEY), TOKEN, "http://127.0.0.1:8089", PASSWORD))
        .singleElement()
        .asString()
        .startsWith("EMNIFY_API_URL (emnify.api-url) is not https")
        .contains("EMNIFY_ALLOW_PLAIN_HTTP");
    assertThat(
            ProductionConfigCheck.problems(
                Optional.of(KEY), List.of(), TOKEN, "http://127.0.0.1:8089", true, PASSWORD))
        .isEmpty();
    assertThat(problems(Optional.of(KEY), TOKEN, "cdn.emnify.net", PASSWORD))
        .singleElement()
        .asString()
        .contains("is not an absolute URL");
  }

  @Test
  void missingOrPublishedDatabasePasswordIsNamed() {
    assertThat(problems(Optional.of(KEY), TOKEN, EMNIFY, Optional.empty()))
        .singleElement()
        .asString()
        .startsWith("QUARKUS_DATASOURCE_PASSWORD (quarkus.datasource.password) is not set");
    assertThat(problems(Optional.of(KEY), TOKEN, EMNIFY, Optional.of("cloudconnect-dev")))
        .singleElement()
        .asString()
        .contains("a dev default");
  }

  @Test
  void everyProblemIsReportedAtOnceAndNoneQuotesTheValue() {
    List<String> all =
        problems(Optional.of("c2VjcmV0"), Optional.empty(), "http://emnify:8089", Optional.empty());
    assertThat(all).hasSize(4);
    assertThat(all).noneMatch(p -> p.contains("c2VjcmV0"));
  }

  @Test
  void statementBatchingIsRefusedBecauseABatchedStaleUpdateWouldBeLost() {
    assertThat(ProductionConfigCheck.statementBatchingProblem(null)).isEmpty();
    assertThat(ProductionConfigCheck.statementBatchingProblem(0)).isEmpty();
    assertThat(ProductionConfigCheck.statementBatchingProblem(1)).isEmpty();
    assertThat(ProductionConfigCheck.statementBatchingProblem(100))
        .hasValueSatisfying(
            problem ->
                assertThat(problem)
                    .startsWith("quarkus.hibernate-orm.jdbc.statement-batch-size must be unset")
                    .doesNotContain("100"));
  }
}
